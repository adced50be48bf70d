import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on an entry of this code: compiled (`.js`) as it is, TypeScript through
 * tsx, which a worker does not inherit from its parent: it registers tsx itself before the entry.
 * Throws when tsx cannot be found (or no thread can start).
 */
export function startTsWorker(entry: string, resourceLimits?: ResourceLimits): Worker {
  const limits = resourceLimits ? { resourceLimits } : {};
  if (entry.endsWith('.js')) return new Worker(entry, { execArgv: [], ...limits });
  const source = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();
require(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true, execArgv: [], ...limits });
}
