import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import {
  campaignProgressQuery,
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
  type CampaignCarryOver,
  type CampaignProgress,
} from '../../workflows/campaign.messages';
import { eventually } from '../support/stack';
import { campaignWorkflowId } from '../../workflows/workflow-ids';
import {
  FakeCampaign,
  connectFakeCampaigns,
  ends,
  pause,
  type CampaignHandle,
  type FakeCampaigns,
} from './fake-campaign';

/** Opens when the test says so: holds calls in flight while the test acts on the campaign. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

let client: Client;
let runCampaign: FakeCampaigns['runCampaign'];
let close: FakeCampaigns['close'];

beforeAll(async () => {
  installQuietRuntime(() => {});
  ({ client, runCampaign, close } = await connectFakeCampaigns(inject('temporalAddress')));
}, 120_000);
afterAll(() => close());

/** What a run of the campaign handed to the next when it continued as new. */
async function carriedByRun(campaignId: string, runId: string): Promise<{ state: CampaignCarryOver }> {
  const run = client.workflow.getHandle(campaignWorkflowId(campaignId), runId);
  const continued = (await run.fetchHistory()).events?.find(
    (e) => e.workflowExecutionContinuedAsNewEventAttributes,
  );
  return client.options.loadedDataConverter.payloadConverter.fromPayload<{ state: CampaignCarryOver }>(
    continued!.workflowExecutionContinuedAsNewEventAttributes!.input!.payloads![0]!,
  );
}

const statusIs = (handle: CampaignHandle, status: CampaignProgress['status']) => () =>
  handle.query(campaignProgressQuery).then((p) => (p.status === status ? p : undefined));

/** The campaign workflow's pacing, retries, pause, cancel and continue-as-new against calls the test controls. */
describe('campaign workflow with mocked activities', () => {
  it('never has more calls in flight than maxConcurrentCalls, and dials every contact once', async () => {
    const fake = new FakeCampaign(7, () => ends('success', 300));
    const progress = await runCampaign(fake, { maxConcurrentCalls: 3 });
    expect(fake.maxLive).toBe(3);
    expect(fake.dials.map((d) => d.contactId).sort()).toEqual(fake.rows.map((r) => r.contactId).sort());
    expect(fake.dials.every((d) => d.attempt === 1)).toBe(true);
    expect(progress).toMatchObject({
      status: 'completed',
      dialled: 7,
      completed: 7,
      inFlight: 0,
      pendingRetries: 0,
    });
    expect(fake.statuses).toEqual(['completed']);
    expect(fake.settled).toEqual([
      { campaignId: fake.campaignId, awaitingRetry: [], status: 'failed', outcome: 'failed' },
    ]);
  });

  it('spaces its dials by the calls-per-second limit', async () => {
    const fake = new FakeCampaign(5, () => ends('success'));
    await runCampaign(fake, { maxConcurrentCalls: 10, callsPerSecond: 4 });
    const starts = fake.dials.map((d) => d.startedAt).sort((a, b) => a - b);
    expect(starts).toHaveLength(5);
    // Four gaps of 250 ms, less the jitter of an activity's start after its child's.
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(800);
  });

  it('dials a busy contact again once its delay has passed, up to maxAttempts', async () => {
    const fake: FakeCampaign = new FakeCampaign(2, (dial) =>
      ends(dial.contactId === fake.contact(0) ? 'busy' : 'success'),
    );
    const progress = await runCampaign(fake, {
      retry: { maxAttempts: 2, busyDelayMinutes: 0.03, noAnswerDelayMinutes: 1, retryVoicemail: false },
    });
    expect(fake.attemptsOf(0)).toEqual([1, 2]);
    expect(fake.attemptsOf(1)).toEqual([1]);
    const [first, second] = fake.dials.filter((d) => d.contactId === fake.contact(0));
    // 0.03 minutes: 1.8 s from the busy call's end, less the skew between the two clocks' readings.
    expect(second!.startedAt - first!.endedAt!).toBeGreaterThanOrEqual(1_700);
    expect(progress).toMatchObject({ status: 'completed', dialled: 3, completed: 3, pendingRetries: 0 });
  });

  it('follows up a LATER answer at the time the person asked for', async () => {
    let followupAt = 0;
    const fake: FakeCampaign = new FakeCampaign(1, (dial) => {
      if (dial.attempt > 1) return ends('success');
      followupAt = Date.now() + 1_500;
      return Promise.resolve({
        outcome: 'success',
        label: 'LATER',
        followupAt: new Date(followupAt).toISOString(),
      });
    });
    await runCampaign(fake, {});
    expect(fake.attemptsOf(0)).toEqual([1, 2]);
    expect(fake.dials[1]!.startedAt).toBeGreaterThanOrEqual(followupAt - 100);
  });

  it('starts no call while paused, and goes on when resumed', async () => {
    const first = gate();
    const fake: FakeCampaign = new FakeCampaign(3, (dial) =>
      dial.contactId === fake.contact(0) ? first.opened.then(() => ends('success')) : ends('success'),
    );
    // A drive that fails opens its gate too, or the worker would wait for the held call forever.
    const progress = await runCampaign(fake, { maxConcurrentCalls: 1 }, async (handle) => {
      try {
        await eventually(() => Promise.resolve(fake.dials.length === 1 || undefined), 20_000, 'first dial');
        await handle.signal(pauseCampaignSignal);
        await eventually(statusIs(handle, 'paused'), 10_000, 'paused');
      } finally {
        first.open();
      }
      await eventually(
        () =>
          handle
            .query(campaignProgressQuery)
            .then((p) => (p.completed === 1 && p.inFlight === 0) || undefined),
        10_000,
        'first call reported',
      );
      // A free slot and contacts left: only the pause keeps them from being dialled.
      await pause(1_500);
      expect(fake.dials).toHaveLength(1);
      await handle.signal(resumeCampaignSignal);
    });
    expect(fake.dials).toHaveLength(3);
    expect(progress).toMatchObject({ status: 'completed', dialled: 3, completed: 3 });
  });

  it('when cancelled starts no call and schedules no retry, lets live calls end and settles the rest', async () => {
    const calls = gate();
    const fake = new FakeCampaign(5, () => calls.opened.then(() => ends('busy')));
    const progress = await runCampaign(
      fake,
      { retry: { maxAttempts: 3, busyDelayMinutes: 0.01, noAnswerDelayMinutes: 1, retryVoicemail: false } },
      async (handle) => {
        try {
          await eventually(() => Promise.resolve(fake.dials.length === 2 || undefined), 20_000, 'two dials');
          await handle.signal(cancelCampaignSignal);
          await eventually(statusIs(handle, 'cancelling'), 10_000, 'cancelling');
        } finally {
          calls.open();
        }
      },
    );
    expect(fake.dials).toHaveLength(2);
    expect(fake.rows.filter((r) => r.retry)).toEqual([]);
    expect(progress).toMatchObject({ status: 'cancelled', dialled: 2, completed: 2, inFlight: 0 });
    expect(fake.statuses).toEqual(['cancelled']);
    expect(fake.settled).toEqual([
      { campaignId: fake.campaignId, awaitingRetry: [], status: 'cancelled', outcome: 'cancelled' },
    ]);
  });

  it('waits for the calling window to open, and a cancel ends the wait', async () => {
    // Open on one weekday only, two or three days from today in UTC: closed now, whatever the hour.
    const today = new Date().getUTCDay() || 7;
    const openDay = ((today + 2) % 7) + 1;
    const fake = new FakeCampaign(2);
    const progress = await runCampaign(
      fake,
      { timezone: 'UTC', callingWindow: { start: '00:00', end: '24:00', days: [openDay] } },
      async (handle) => {
        await pause(1_500);
        expect(await handle.query(campaignProgressQuery)).toMatchObject({ status: 'running', dialled: 0 });
        await handle.signal(cancelCampaignSignal);
      },
    );
    expect(fake.dials).toEqual([]);
    expect(progress).toMatchObject({ status: 'cancelled', dialled: 0 });
    expect(fake.statuses).toEqual(['cancelled']);
  });

  it('continues as new every N calls, carrying its place in the list, its counters and its waiting retries', async () => {
    const fake: FakeCampaign = new FakeCampaign(5, (dial) =>
      ends(dial.contactId === fake.contact(0) && dial.attempt === 1 ? 'busy' : 'success'),
    );
    let firstRunId = '';
    const progress = await runCampaign(
      fake,
      { retry: { maxAttempts: 2, busyDelayMinutes: 0.02, noAnswerDelayMinutes: 1, retryVoicemail: false } },
      (handle) => Promise.resolve(void (firstRunId = handle.firstExecutionRunId)),
      2,
    );
    const carried = await carriedByRun(fake.campaignId, firstRunId);
    // Calls still live go on to the next run; the busy contact's retry waits in its row once decided.
    expect(carried.state).toMatchObject({
      runs: 1,
      dialled: 2,
      contacts: { nextSeq: 2, exhausted: false, taken: [] },
    });
    expect(carried.state.completed + (carried.state.live?.length ?? 0)).toBe(2);
    const firstAttempts = fake.dials.filter((d) => d.attempt === 1).map((d) => d.contactId);
    expect(firstAttempts.sort()).toEqual(fake.rows.map((r) => r.contactId).sort());
    expect(fake.attemptsOf(0)).toEqual([1, 2]);
    expect(progress.runs).toBeGreaterThanOrEqual(3);
    expect(progress).toMatchObject({ status: 'completed', dialled: 6, completed: 6, pendingRetries: 0 });
  });

  it('continues as new with its calls still live: the next run holds their slots and hears their end', async () => {
    const fake = new FakeCampaign(6, () => ends('success', 1_500));
    let firstRunId = '';
    const progress = await runCampaign(
      fake,
      { maxConcurrentCalls: 3 },
      (handle) => Promise.resolve(void (firstRunId = handle.firstExecutionRunId)),
      2,
    );
    const carried = await carriedByRun(fake.campaignId, firstRunId);
    // Both calls of the first run were still ringing when it handed them on.
    expect(carried.state.live?.map((c) => c.contactId).sort()).toEqual(
      [fake.contact(0), fake.contact(1)].sort(),
    );
    const [first, second, third] = [...fake.dials].sort((a, b) => a.startedAt - b.startedAt);
    // The next run dialled while the first run's calls were live: no drain between runs.
    expect(third!.startedAt).toBeLessThan(Math.min(first!.endedAt!, second!.endedAt!));
    expect(fake.maxLive).toBe(3);
    expect(fake.dials.map((d) => d.contactId).sort()).toEqual(fake.rows.map((r) => r.contactId).sort());
    expect(progress).toMatchObject({ status: 'completed', dialled: 6, completed: 6, inFlight: 0 });
    expect(progress.runs).toBeGreaterThanOrEqual(3);
  });
});
