import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Activities } from '../../activities';
import type { CallFact } from '../../domain/call-facts';
import { CallErrorType } from '../../domain/errors';
import {
  callViewQuery,
  hangupSignal,
  providerFactsSignal,
  type CallWorkflowInput,
} from '../../workflows/call.messages';
import type { callWorkflow } from '../../workflows/call.workflow';
import { ALWAYS_OPEN, FAST_TIMING } from '../support/calls';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { callWorkflowId } from '../../workflows/workflow-ids';

/** The call workflow on the real dev server with activities replaced: failures the stack cannot cause. */
interface Calls {
  placeCall: number;
  lookups: number;
  finalized: Parameters<Activities['finalizeCall']>[0][];
}

type Behaviour = Partial<Pick<Activities, 'checkDoNotCall' | 'placeCall' | 'lookupProviderCall'>>;

let connection: Connection;
let client: Client;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  installQuietRuntime(() => {});
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection });
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
});
afterAll(async () => {
  await nativeConnection.close();
  await connection.close();
});

async function runCall(
  behaviour: Behaviour,
  drive?: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  overrides: Partial<CallWorkflowInput> = {},
): Promise<{ calls: Calls; result: Awaited<ReturnType<typeof callWorkflow>> }> {
  const taskQueue = `mocked-${randomUUID()}`;
  const calls: Calls = { placeCall: 0, lookups: 0, finalized: [] };
  const activities: Partial<Activities> = {
    reserveCallAttempt: () => Promise.resolve(),
    claimDialSlot: () => Promise.resolve(),
    releaseDialSlot: () => Promise.resolve(),
    recordCallState: () => Promise.resolve(),
    hangUpCall: () => Promise.resolve(),
    checkDoNotCall: behaviour.checkDoNotCall ?? (() => Promise.resolve(false)),
    placeCall: async (input) => {
      calls.placeCall++;
      return behaviour.placeCall ? behaviour.placeCall(input) : { providerCallId: 'conv_mock' };
    },
    lookupProviderCall: async (input) => {
      calls.lookups++;
      return behaviour.lookupProviderCall
        ? behaviour.lookupProviderCall(input)
        : { found: false, final: false, facts: [] };
    },
    finalizeCall: (input) => {
      calls.finalized.push(input);
      return Promise.resolve();
    },
  };
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    activities,
    workflowBundle: { codePath: inject('workflowBundlePath') },
  });
  const callId = randomUUID();
  const input: CallWorkflowInput = {
    callId,
    tenantId: randomUUID(),
    campaignId: randomUUID(),
    contactId: randomUUID(),
    attempt: 1,
    toNumber: '+905321234567',
    provider: 'elevenlabs',
    callType: 'BILLING_REMINDER',
    language: 'tr',
    timezone: 'Europe/Istanbul',
    callingWindow: ALWAYS_OPEN,
    name: 'Ayşe',
    variables: { amount: '1 TL', due_date: '2026-12-01' },
    amd: { enabled: true, graceSeconds: 2 },
    timing: { ...FAST_TIMING, reconcileSeconds: 1, maxCallSeconds: 30 },
    ...overrides,
  };
  const result = await worker.runUntil(async () => {
    const handle = await client.workflow.start<typeof callWorkflow>('callWorkflow', {
      workflowId: callWorkflowId(callId),
      taskQueue,
      args: [input],
    });
    if (drive) await drive(handle);
    return handle.result();
  });
  return { calls, result };
}

describe('call workflow with mocked activities', () => {
  it('does not dial when the DNC list cannot be read, and says so', async () => {
    const { calls, result } = await runCall({
      checkDoNotCall: () => Promise.reject(new Error('connection refused')),
    });
    expect(result).toMatchObject({ status: 'blocked', outcome: 'dnc_blocked' });
    expect(calls.placeCall).toBe(0);
    expect(calls.finalized[0]!.state.hangupCause).toMatch(/^DNC list unreadable: connection refused$/);
  });

  it('waits out a short outage of the DNC list, then dials', async () => {
    let tries = 0;
    const { calls } = await runCall({
      checkDoNotCall: () =>
        ++tries < 3 ? Promise.reject(new Error('connection refused')) : Promise.resolve(false),
    });
    expect(tries).toBe(3);
    expect(calls.placeCall).toBe(1);
  });

  it('a dial of unknown result that the provider cannot find: failed, dial result unknown, one dial', async () => {
    const { calls, result } = await runCall({
      placeCall: () =>
        Promise.reject(
          ApplicationFailure.nonRetryable(
            'dial result unknown: socket hang up',
            CallErrorType.DialOutcomeUnknown,
          ),
        ),
    });
    expect(result).toMatchObject({ status: 'failed', outcome: 'failed' });
    expect(calls.placeCall).toBe(1);
    expect(calls.lookups).toBeGreaterThan(0);
    expect(calls.finalized[0]!.state.hangupCause).toMatch(
      /^dial result unknown \(dial result unknown: socket hang up\); no call found at the provider$/,
    );
  });

  const at = (s: number) => new Date(Date.UTC(2026, 5, 10, 9, 0, s)).toISOString();
  const ended: CallFact = {
    kind: 'ended',
    key: 'elevenlabs:ended:conv_mock',
    at: at(30),
    provider: 'elevenlabs',
    durationSeconds: 20,
  };
  const answered: CallFact = { kind: 'answered', key: 'elevenlabs:answered:conv_mock', at: at(5) };

  it('facts as signals: repeated and out of order, the outcome is the same and each is kept once', async () => {
    const amd: CallFact = {
      kind: 'amd',
      key: 'asterisk:amd:1',
      at: at(10),
      status: 'MACHINE',
      cause: 'MAXWORDS-6-5',
    };
    const { calls, result } = await runCall({}, async (handle) => {
      // The end first, then the answer, then every fact again: the AMD verdict still wins.
      for (const fact of [ended, answered, ended, answered, amd, amd, ended])
        await handle.signal(providerFactsSignal, [fact]);
      const view = await handle.query(callViewQuery);
      expect(view.facts.filter((f) => f.key === ended.key)).toHaveLength(1);
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'voicemail' });
    expect(calls.placeCall).toBe(1);
    const keys = calls.finalized[0]!.facts.map((f) => f.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(calls.finalized[0]!.state.hangupCause).toBe('AMD:MAXWORDS-6-5');
  });

  it("a webhook's facts in one signal count as the same facts signalled one by one", async () => {
    const { result, calls } = await runCall({}, async (handle) => {
      // A redelivered webhook repeats its facts; a single-fact signal may carry one of them again.
      await handle.signal(providerFactsSignal, [answered, ended]);
      await handle.signal(providerFactsSignal, [answered]);
      await handle.signal(providerFactsSignal, [ended, answered]);
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    const keys = calls.finalized[0]!.facts.map((f) => f.key);
    expect(keys.filter((k) => k === answered.key || k === ended.key)).toHaveLength(2);
  });

  it('a hang-up while waiting for the calling window cancels without dialing', async () => {
    const now = new Date();
    // A window that opens in about two hours, today, in the called party's zone (Istanbul, UTC+3).
    const opensAt = (now.getUTCHours() + 3 + 2) % 24;
    const window = {
      start: `${String(opensAt).padStart(2, '0')}:00`,
      end: `${String(opensAt).padStart(2, '0')}:30`,
      days: [1, 2, 3, 4, 5, 6, 7],
    };
    const { calls, result } = await runCall(
      {},
      async (handle) => {
        await handle.signal(hangupSignal, { by: 'test' });
      },
      { callingWindow: window },
    );
    expect(result).toMatchObject({ status: 'cancelled', outcome: 'cancelled' });
    expect(calls.placeCall).toBe(0);
    expect(calls.finalized[0]!.state.hangupCause).toBe('hung up before dialing');
  });

  it('a signal arriving while the first activities run is not lost', async () => {
    const busy: CallFact = {
      kind: 'initiation_failure',
      key: 'elevenlabs:initiation_failure:conv_mock',
      at: new Date(0).toISOString(),
      failureReason: 'busy',
      sipCode: 486,
    };
    const { result } = await runCall({}, async (handle) => {
      await handle.signal(providerFactsSignal, [busy]);
    });
    expect(result).toMatchObject({ status: 'busy', outcome: 'busy', sipCode: 486 });
  });
});
