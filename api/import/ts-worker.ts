import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript entry. The project runs TypeScript through tsx, and a
 * worker does not inherit the parent's loader: it registers tsx itself before the .ts entry.
 * Throws when tsx cannot be found (or no thread can start).
 */
export function startTsWorker(entry: string, resourceLimits?: ResourceLimits): Worker {
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true, execArgv: [], ...(resourceLimits ? { resourceLimits } : {}) });
}
