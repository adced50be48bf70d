import type { Migration } from 'kysely';
import * as initial from './2026_11_22_0001_initial';

/** Listed explicitly (not read from disk) so the migrator works the same from any entry point. */
export const migrations: Record<string, Migration> = {
  '2026_11_22_0001_initial': initial,
};
