import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionCampaign } from '../../schema/repositories/campaigns.repository';
import { campaignProgressQuery, type CampaignSettings } from '../../workflows/campaign.messages';
import { campaignWorkflow } from '../../workflows/campaign.workflow';
import {
  campaignAction,
  campaignConfig,
  contactsCsv,
  createCampaign,
  dialsTo,
  e164,
  maxOverlap,
  phoneList,
  waitForCampaign,
  startCampaign,
} from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { readPayload } from '../support/payloads';
import { contactResults } from '../../schema/repositories/contact-results';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

/** For campaign workflows started directly (to lower the per-run child limit). */
const campaignSettings: Omit<CampaignSettings, 'maxConcurrentCalls' | 'callsPerSecond' | 'retry'> = {
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  language: 'tr',
  timezone: 'Europe/Istanbul',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  amd: { enabled: false, graceSeconds: 0 },
};

describe('campaign workflow limits', () => {
  let stack: TestStack;
  let apiKey: string;
  let tenantId: string;

  beforeAll(async () => {
    // Calls last ~1 s so a window of live calls builds up.
    stack = await startTestStack({
      simulator: {
        scenario: (toNumber) => (toNumber.startsWith('+90533') ? 'busy' : 'human_yes'),
        timing: { ringMs: 100, talkMs: 900, webhookDelayMs: 10 },
      },
    });
    ({ apiKey, tenantId } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  /** Resolves with the campaign's contacts whose next attempt waits in their rows, once there are `count`. */
  function awaitingRetry(campaignId: string, count: number) {
    return eventually(async () => {
      const rows = await stack.db
        .selectFrom('contacts')
        .select(['phone_e164', 'retry_attempt', 'retry_at'])
        .where('campaign_id', '=', campaignId)
        .where('retry_at', 'is not', null)
        .execute();
      return rows.length === count ? rows : undefined;
    }, 15_000);
  }

  /** Started directly (not through the API) to lower the per-run child limit; the rest is the same. */
  async function startWithChildrenPerRun(
    phones: string[],
    childrenPerRun: number,
    settings: Pick<CampaignSettings, 'maxConcurrentCalls' | 'callsPerSecond' | 'retry'>,
  ) {
    const config = campaignConfig({ maxConcurrentCalls: settings.maxConcurrentCalls, callsPerSecond: 50 });
    const { id } = await createCampaign(stack, apiKey, contactsCsv(phones), config);
    expect(await transitionCampaign(stack.db, id, ['draft'], 'running')).toBe(true);
    const handle = await stack.client.workflow.start(campaignWorkflow, {
      workflowId: campaignWorkflowId(id),
      taskQueue: stack.taskQueue,
      args: [{ campaignId: id, tenantId, childrenPerRun, settings: { ...campaignSettings, ...settings } }],
    });
    return { id, handle };
  }

  it('never has more live calls than maxConcurrentCalls', async () => {
    const phones = phoneList(10, '0532');
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({ maxConcurrentCalls: 3, callsPerSecond: 50 }),
    );
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byStatus).toEqual({ completed: 10 });
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials).toHaveLength(10);
    expect(stack.sim.maxConcurrentCalls()).toBeLessThanOrEqual(3);
    // The limit was reached, so the assertion above measured something.
    expect(maxOverlap(dials)).toBe(3);
  });

  it('spaces dials by at least 1/callsPerSecond', async () => {
    const phones = phoneList(6, '0534');
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({ maxConcurrentCalls: 10, callsPerSecond: 2 }),
    );
    await waitForCampaign(stack, apiKey, id, 'completed');
    const starts = dialsTo(stack, phones.map(e164))
      .map((d) => d.startedAt)
      .sort((a, b) => a - b);
    expect(starts).toHaveLength(6);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // The workflow spaces child starts by 500 ms; the dial itself runs a few activities later, so
    // a single gap may shrink by that jitter, the total cannot.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(400);
    expect(starts[5]! - starts[0]!).toBeGreaterThanOrEqual(5 * 500 - 100);
  });

  it('retries busy numbers after the busy delay up to maxAttempts', async () => {
    const phones = phoneList(3, '0533');
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({
        retry: { maxAttempts: 3, busyDelayMinutes: 0.02, noAnswerDelayMinutes: 0.02, retryVoicemail: false },
      }),
    );
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byOutcome).toEqual({ busy: 3 });
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials).toHaveLength(9);
    const contacts = await stack.db
      .selectFrom('contacts')
      .select(['attempts'])
      .where('campaign_id', '=', id)
      .execute();
    expect(contacts.map((c) => c.attempts)).toEqual([3, 3, 3]);
    // Attempts of one number are at least the busy delay (1.2 s) apart.
    for (const phone of phones.map(e164)) {
      const starts = dials
        .filter((d) => d.toNumber === phone)
        .map((d) => d.startedAt)
        .sort((a, b) => a - b);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(1000);
      expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(1000);
    }
  });

  it("keeps attempts waiting for a retry in the contacts' rows, not in the continue-as-new input", async () => {
    // Busy numbers of their own (the busy test above uses 0533 1…).
    const phones = phoneList(4, '0533').map((p) => p.replace(/^05331/, '05332'));
    const { id, handle } = await startWithChildrenPerRun(phones, 2, {
      maxConcurrentCalls: 2,
      callsPerSecond: 50,
      retry: { maxAttempts: 2, busyDelayMinutes: 0.05, noAnswerDelayMinutes: 1, retryVoicemail: false },
    });
    const firstRunId = handle.firstExecutionRunId;

    // The first two numbers are busy: their second attempts wait in their rows.
    const waiting = await awaitingRetry(id, 2);
    expect(waiting.map((r) => r.retry_attempt)).toEqual([2, 2]);

    // A run continued as new carrying a count and a time, not the attempts themselves. The first run
    // hands on its two live calls; the second hears them end busy, writes their retries to the rows,
    // dials the other two and continues with those live.
    const continuedAsNew = (runId: string) =>
      eventually(async () => {
        const history = await stack.client.workflow.getHandle(campaignWorkflowId(id), runId).fetchHistory();
        return (
          history.events?.find((e) => e.workflowExecutionContinuedAsNewEventAttributes)
            ?.workflowExecutionContinuedAsNewEventAttributes ?? undefined
        );
      }, 15_000);
    const first = await continuedAsNew(firstRunId);
    const continued = await continuedAsNew(first.newExecutionRunId!);
    const carried = await readPayload<{
      state: { contacts: { taken: unknown[]; waiting: number; nextDueAt: number }; live?: unknown[] };
    }>(stack.client, continued.input!.payloads![0]!);
    expect(carried.state.contacts.taken).toEqual([]);
    expect(carried.state.contacts.waiting).toBe(2);
    expect(carried.state.contacts.nextDueAt).toBeGreaterThan(0);
    expect(carried.state.live).toHaveLength(2);

    await waitForCampaign(stack, apiKey, id, 'completed');
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials).toHaveLength(8);
    const contacts = await contactResults(stack.db, id).select('c.retry_at').execute();
    expect(contacts.map((c) => [c.attempts, c.outcome, c.retry_at])).toEqual(
      Array.from({ length: 4 }, () => [2, 'busy', null]),
    );
  });

  it('cancels the contacts whose retries wait in their rows, and never dials them again', async () => {
    const phones = phoneList(3, '0533').map((p) => p.replace(/^05331/, '05333'));
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({
        retry: { maxAttempts: 3, busyDelayMinutes: 10, noAnswerDelayMinutes: 10, retryVoicemail: false },
      }),
    );
    await awaitingRetry(id, 3);
    await campaignAction(stack, apiKey, id, 'cancel');
    const done = await waitForCampaign(stack, apiKey, id, 'cancelled');
    expect(done.counts.byStatus).toEqual({ cancelled: 3 });
    const contacts = await stack.db
      .selectFrom('contacts')
      .select(['final_outcome', 'retry_at'])
      .where('campaign_id', '=', id)
      .execute();
    expect(contacts).toEqual(
      Array.from({ length: 3 }, () => ({ final_outcome: 'cancelled', retry_at: null })),
    );
    expect(dialsTo(stack, phones.map(e164))).toHaveLength(3);
  });

  it('continues as new every N children without losing or repeating a contact', async () => {
    const phones = phoneList(7, '0535');
    const { id, handle } = await startWithChildrenPerRun(phones, 3, {
      maxConcurrentCalls: 2,
      callsPerSecond: 50,
      retry: { maxAttempts: 1, busyDelayMinutes: 1, noAnswerDelayMinutes: 1, retryVoicemail: false },
    });
    await handle.result();
    const progress = await handle.query(campaignProgressQuery);
    expect(progress.runs).toBe(3);
    expect(progress.dialled).toBe(7);
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials.map((d) => d.toNumber).sort()).toEqual(phones.map(e164).sort());
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byStatus).toEqual({ completed: 7 });
  });
});
