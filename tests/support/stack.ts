import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { SimulatorOptions } from '../../infra/dev/simulator/server';
import { LOCAL_SECRETS } from '../../infra/stack/local-secrets';
import { freePort } from '../../infra/stack/ports';
import type { DestinationStream } from 'pino';
import { createLogger } from '../../infra/logging/logger';
import { temporalLogger } from '../../infra/logging/temporal-logger';
import { installQuietRuntime, installRuntimeOnce } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';

/** The secrets every test stack runs with, for tests that sign or forge requests. */
export const TEST_SECRETS = LOCAL_SECRETS;

export type TestStack = System;

/**
 * The whole system against the shared dev server and Postgres: a worker on its own task queue, the
 * API on a random port and the provider simulator pointing its webhooks at that API.
 */
export async function startTestStack(
  options: {
    simulator?: Partial<SimulatorOptions>;
    env?: Record<string, string>;
    /**
     * The workers' runtime metrics served and included in the API's /metrics, as under `npm start`;
     * only where a test reads them, since another test process may take the port between the pick
     * and the bind.
     */
    runtimeMetrics?: boolean;
    /**
     * The API's and the workers' log lines (debug and up), as `npm run api` and `npm run worker`
     * write them; the test file's first stack decides where its workers' go.
     */
    logs?: DestinationStream;
  } = {},
): Promise<TestStack> {
  const logs = options.logs && { level: 'debug' as const, destination: options.logs };
  if (logs) installRuntimeOnce({ logger: temporalLogger(createLogger({ service: 'worker', ...logs })) });
  installQuietRuntime(undefined, options.runtimeMetrics ? await freePort() : undefined);
  return startSystem({
    engine: { kind: 'external', address: inject('temporalAddress') },
    postgres: { url: inject('databaseUrl'), appUrl: inject('appDatabaseUrl') },
    env: { NODE_ENV: 'test', ...options.env },
    api: logs ? { logger: createLogger({ service: 'api', ...logs }) } : {},
    simulator: options.simulator ?? {},
    workers: {
      taskQueue: `test-${randomUUID()}`,
      workflowBundle: { codePath: inject('workflowBundlePath') },
    },
  });
}

export function createTenant(stack: TestStack, name?: string): Promise<{ tenantId: string; apiKey: string }> {
  return stack.createTenant(name);
}

/** Polls until `check` returns a value (not undefined) or the timeout passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}
