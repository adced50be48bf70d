import { extname } from 'node:path';

/**
 * `.js` when this code runs compiled (`npm run build`, `node dist/...`), `.ts` under tsx: the
 * extension of a module that is loaded by its path (a worker thread, a converter, the workflows).
 */
export const MODULE_EXTENSION = extname(__filename);

export const RUNS_COMPILED = MODULE_EXTENSION === '.js';
