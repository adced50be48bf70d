import { createSystemDatabase } from './database';
import { migrateToLatest } from './migrator';

async function main(): Promise<void> {
  // The tables' owner: the app's own role may not change them.
  const url = process.env.MIGRATION_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'MIGRATION_DATABASE_URL (or DATABASE_URL) is required by `npm run migrate` (postgres://user:pass@host:port/db).',
    );
  }
  // In system scope, so that a migration's reads and writes of tenant rows see them all.
  const db = createSystemDatabase(url, 1);
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
