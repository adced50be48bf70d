import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { callRow, createDraftCampaign, startCall } from '../support/calls';
import { startReadyProcess, stopProcess as kill } from '../support/ready-process';
import { TEST_SECRETS, createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

const ENTRY = join(__dirname, '..', 'support', 'worker-process.ts');

/** Starts a worker process and resolves once it polls. */
const startWorkerProcess = (env: Record<string, string>) => startReadyProcess(ENTRY, [], env);

describe('worker killed while the dial is in flight', () => {
  let stack: TestStack;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // The provider records the call at once but answers the dial only after a minute.
    stack = await startTestStack({
      simulator: { scenario: 'human_yes', timing: { dialResponseDelayMs: 60_000 } },
    });
  });
  afterAll(async () => {
    for (const child of children) await kill(child, 'SIGTERM');
    await stack?.close();
  });

  it('a new worker reconciles the call: one dial, the real outcome', async () => {
    const { tenantId, apiKey } = await createTenant(stack);
    const { campaignId, contacts } = await createDraftCampaign(stack, apiKey, ['0532 123 45 67']);
    const taskQueue = `crash-${randomUUID()}`;
    const env = {
      ...TEST_SECRETS,
      NODE_ENV: 'test',
      DATABASE_URL: inject('appDatabaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      ELEVENLABS_BASE_URL: stack.sim.url,
      PUBLIC_BASE_URL: stack.apiUrl,
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    };
    const first = await startWorkerProcess(env);
    children.push(first);

    const handle = await startCall(stack, {
      tenantId,
      campaignId,
      contact: contacts[0]!,
      taskQueue,
      timing: { dialTimeoutSeconds: 5, reconcileSeconds: 2 },
    });
    const callId = handle.workflowId.replace(/^call-/, '');
    await eventually(
      () => Promise.resolve(stack.sim.dials().some((d) => d.callId === callId) ? true : undefined),
      20_000,
      'the dial',
    );
    await kill(first, 'SIGKILL');
    const killedAt = Date.now();

    children.push(await startWorkerProcess(env));
    const result = await handle.result();
    console.log(
      `[crash] call settled ${Date.now() - killedAt} ms after the SIGKILL: ${result.status}/${result.outcome}`,
    );

    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(stack.sim.dials().filter((d) => d.callId === callId)).toHaveLength(1);
    const row = await callRow(stack, callId);
    expect(row.provider_call_id).toBe(stack.sim.dials().find((d) => d.callId === callId)!.providerCallId);

    // The dial activity never completed: it timed out, and was not retried.
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const dialScheduled = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'placeCall',
    );
    expect(dialScheduled).toHaveLength(1);
    expect(events.some((e) => e.activityTaskTimedOutEventAttributes)).toBe(true);
    expect(
      events.some(
        (e) =>
          e.activityTaskCompletedEventAttributes &&
          e.activityTaskCompletedEventAttributes.scheduledEventId?.toString() ===
            dialScheduled[0]!.eventId?.toString(),
      ),
    ).toBe(false);
  });
});
