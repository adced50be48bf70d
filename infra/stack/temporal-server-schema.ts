import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { TemporalDatabases } from './temporal-server-config';

const run = promisify(execFile);

/** Schemas embedded in temporal-sql-tool itself, so they always match the server built beside it. */
const SCHEMAS = { persistence: 'postgresql/v12/temporal', visibility: 'postgresql/v12/visibility' } as const;

async function query(
  databases: TemporalDatabases,
  database: string,
  sql: string,
  values: unknown[],
): Promise<Record<string, unknown>[]> {
  const client = new Client({ ...databases, database });
  await client.connect();
  try {
    return (await client.query<Record<string, unknown>>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function sqlTool(
  tool: string,
  databases: TemporalDatabases,
  database: string,
  args: string[],
): Promise<void> {
  // The tool reads its connection from SQL_* variables: the password stays off the command line.
  const env = {
    ...process.env,
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: databases.host,
    SQL_PORT: String(databases.port),
    SQL_USER: databases.user,
    SQL_PASSWORD: databases.password,
    SQL_DATABASE: database,
  };
  try {
    await run(tool, ['--quiet', ...args], { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `temporal-sql-tool ${args[0]} on ${database} failed:\n${stderr || stdout || String(error)}`,
    );
  }
}

/**
 * Creates each database on first use and sets up its version table, then updates it to the
 * server's schema. Safe on every start: setup-schema runs only on a database without a version
 * (it would reset the version of a migrated one), update-schema applies only what is missing.
 */
export async function migrateTemporalDatabases(tool: string, databases: TemporalDatabases): Promise<void> {
  for (const role of ['persistence', 'visibility'] as const) {
    const database = databases[role];
    const existing = await query(databases, 'postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (existing.length === 0) await sqlTool(tool, databases, database, ['create-database']);
    const versioned = await query(databases, database, "SELECT to_regclass('schema_version') AS name", []);
    if (!versioned[0]?.name) await sqlTool(tool, databases, database, ['setup-schema', '-v', '0.0']);
    await sqlTool(tool, databases, database, ['update-schema', '--schema-name', SCHEMAS[role]]);
  }
}
