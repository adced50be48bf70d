import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { DB } from './types';

// numeric (cost) comes back as a JS number; bigint ids as numbers (they stay far below 2^53).
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export type Database = Kysely<DB>;

/**
 * Without these a stalled or unreachable server holds every request that touches the pool, the
 * readiness probe included, for as long as TCP keeps trying.
 */
export const POOL_TIMEOUTS = {
  /** Waiting for a connection to open, or for a free one in a busy pool. */
  connectionTimeoutMillis: 5_000,
  /** The longest statement: a COPY of a large import is one statement, hence a minute. */
  statement_timeout: 60_000,
  /** A transaction left open by a stuck caller releases its locks. */
  idle_in_transaction_session_timeout: 60_000,
} as const;

/** The app's pool: each statement sees only the rows of the tenant its transaction names (tenant-scope.ts). */
export function createDatabase(connectionString: string, max = 10): Database {
  return poolDatabase(connectionString, max);
}

/**
 * A pool in system scope, which row-level security lets see every tenant's rows: for the paths that
 * act before a tenant is known or across tenants (the worker's activities, the webhook inbox, sign-in,
 * the operator's endpoints, migrations). The one place that scope is set; grep for it.
 */
export function createSystemDatabase(connectionString: string, max = 10): Database {
  return poolDatabase(connectionString, max, '-c outdial.system=on');
}

function poolDatabase(connectionString: string, max: number, options?: string): Database {
  const pool = new Pool({ connectionString, max, ...POOL_TIMEOUTS, ...(options ? { options } : {}) });
  // An idle connection dropped by the server (restart, shutdown) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => console.warn(`postgres pool: ${error.message}`));
  // The pool listens only to idle connections: one checked out (a transaction between statements)
  // when the server goes away emits 'error' on its client, which unheard killed an API process at
  // the fault suite's Postgres restart. Its query fails and the pool drops it on release.
  pool.on('connect', (client) => {
    client.on('error', (error) => console.warn(`postgres connection: ${error.message}`));
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
