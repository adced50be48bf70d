import { createDatabase } from './database';
import { migrateToLatest } from './migrator';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required by `npm run migrate` (postgres://user:pass@host:port/db).');
  const db = createDatabase(url, 1);
  try {
    const { results } = await migrateToLatest(db);
    for (const r of results ?? []) console.log(`${r.status}: ${r.migrationName}`);
    if (!results?.length) console.log('Schema is up to date.');
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
