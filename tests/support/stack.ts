import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/stack/local-stack';
import type { Simulator, SimulatorOptions } from '../../infra/dev/simulator/server';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';

export const TEST_SECRETS = {
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  ELEVENLABS_WEBHOOK_SECRET: 'test-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'test-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'test-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'test-asterisk-webhook-token',
};

export type TestStack = LocalStack & {
  sim: Simulator;
  worker: Worker;
  taskQueue: string;
};

/**
 * The whole system against the shared dev server and Postgres: a worker on its own task queue, the
 * API on a random port and the provider simulator pointing its webhooks at that API.
 */
export async function startTestStack(
  options: { simulator?: Partial<SimulatorOptions>; env?: Record<string, string> } = {},
): Promise<TestStack> {
  installQuietRuntime();
  const taskQueue = `test-${randomUUID()}`;
  const stack = await startLocalStack({
    temporalAddress: inject('temporalAddress'),
    databaseUrl: inject('databaseUrl'),
    env: { ...TEST_SECRETS, NODE_ENV: 'test', ...options.env },
    taskQueue,
    simulator: options.simulator ?? {},
    worker: { workflowBundle: { codePath: inject('workflowBundlePath') } },
  });
  // A simulator and a worker were asked for; restartWorker replaces `worker` on this same object.
  return Object.assign(stack, { taskQueue }) as TestStack;
}

export async function createTenant(
  stack: TestStack,
  name = 'Acme',
): Promise<{ tenantId: string; apiKey: string }> {
  const response = await fetch(`${stack.apiUrl}/v1/admin/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (response.status !== 201)
    throw new Error(`tenant creation failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { tenantId: string; apiKey: string };
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
