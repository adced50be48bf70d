import { Kysely, PostgresDialect } from 'kysely';
import { Pool, types } from 'pg';
import type { DB } from './types';

// numeric (cost) comes back as a JS number; bigint ids as numbers (they stay far below 2^53).
types.setTypeParser(types.builtins.NUMERIC, (value) => Number(value));
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

export type Database = Kysely<DB>;

export function createDatabase(connectionString: string, max = 10): Database {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString, max }) }) });
}
