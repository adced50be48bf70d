import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { DB } from './types';

// numeric (cost) comes back as a JS number; bigint ids as numbers (they stay far below 2^53).
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export type Database = Kysely<DB>;

export function createDatabase(connectionString: string, max = 10): Database {
  const pool = new Pool({ connectionString, max });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => console.warn(`postgres pool: ${error.message}`));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
