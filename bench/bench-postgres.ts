import type { PostgresOption } from '../infra/stack/system';

/** BENCH_DATABASE_URL when set (migrated first), else an embedded Postgres. */
export function benchPostgres(): PostgresOption {
  const url = process.env.BENCH_DATABASE_URL;
  return url ? { url, migrate: true } : 'embedded';
}
