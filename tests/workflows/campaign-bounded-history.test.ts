import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startTemporalDevServer, type RunningTemporal } from '../../infra/stack/temporal-dev-server';
import type { CampaignCarryOver } from '../../workflows/campaign.messages';
import { campaignWorkflowId } from '../../workflows/workflow-ids';
import { FakeCampaign, connectFakeCampaigns, ends, type FakeCampaigns } from './fake-campaign';

/**
 * A campaign's history stays bounded however long its list is. This dev server ends any workflow
 * whose history passes HISTORY_LIMIT events (Temporal's own limit is 51,200) and suggests
 * continue-as-new at a tenth of Temporal's default: a campaign that held its contacts in one
 * history would be terminated several times over, so finishing proves each run stays under it.
 */
const HISTORY_LIMIT = 1_000;
const SUGGEST_CONTINUE_AS_NEW = 400;
const CONTACTS = 1_500;
const MAX_CONCURRENT_CALLS = 25;

let temporal: RunningTemporal;
let client: Client;
let runCampaign: FakeCampaigns['runCampaign'];
let close: FakeCampaigns['close'] | undefined;

beforeAll(async () => {
  installQuietRuntime(() => {});
  temporal = await startTemporalDevServer({
    port: 0,
    uiPort: false,
    dynamicConfig: {
      'limit.historyCount.error': HISTORY_LIMIT,
      'limit.historyCount.warn': SUGGEST_CONTINUE_AS_NEW,
      'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW,
    },
  });
  ({ client, runCampaign, close } = await connectFakeCampaigns(temporal.address));
}, 180_000);

afterAll(async () => {
  // The server is stopped even when a timed-out test left a worker holding the connection.
  try {
    await close?.();
  } finally {
    await temporal?.stop();
  }
});

describe('campaign workflow history', () => {
  it(
    'stays bounded: a list far longer than one history holds is dialled once each, over runs that each stay small',
    { timeout: 420_000 },
    async () => {
      const fake = new FakeCampaign(CONTACTS, () => ends('success'));
      let firstRunId = '';
      const progress = await runCampaign(
        fake,
        { maxConcurrentCalls: MAX_CONCURRENT_CALLS, callsPerSecond: 100 },
        (handle) => Promise.resolve(void (firstRunId = handle.firstExecutionRunId)),
      );

      expect(progress).toMatchObject({
        status: 'completed',
        dialled: CONTACTS,
        completed: CONTACTS,
        inFlight: 0,
      });
      const dialled = fake.dials.map((d) => d.contactId);
      expect(new Set(dialled).size).toBe(CONTACTS);
      expect(dialled).toHaveLength(CONTACTS);

      const runs = await campaignRuns(fake.campaignId, firstRunId);
      const events = runs.reduce((sum, run) => sum + run.events, 0);
      // The whole campaign would not fit in one history: several times over.
      expect(events).toBeGreaterThan(3 * HISTORY_LIMIT);
      expect(runs.length).toBe(progress.runs);
      for (const run of runs) expect(run.events).toBeLessThan(HISTORY_LIMIT);
      // What a run carries to the next does not grow with the list: a place in it, counters, and at
      // most maxConcurrentCalls live calls.
      const carriedBytes = runs.flatMap((run) => (run.carriedBytes === null ? [] : [run.carriedBytes]));
      expect(carriedBytes).toHaveLength(runs.length - 1);
      expect(Math.max(...carriedBytes)).toBeLessThan(1_024 + MAX_CONCURRENT_CALLS * 200);
      console.log(
        `[bounded history] ${CONTACTS} contacts, ${runs.length} runs, ${events} events, ` +
          `largest run ${Math.max(...runs.map((r) => r.events))} events, ` +
          `largest carry-over ${Math.max(...carriedBytes)} bytes`,
      );
    },
  );
});

interface CampaignRun {
  events: number;
  /** Size of the input handed to the next run, null for the last. */
  carriedBytes: number | null;
}

/** Every run of the campaign's workflow, oldest first, following each run's continue-as-new to the next. */
async function campaignRuns(campaignId: string, firstRunId: string): Promise<CampaignRun[]> {
  const runs: CampaignRun[] = [];
  for (let next: string | null | undefined = firstRunId; next;) {
    const runId: string = next;
    const history = await client.workflow.getHandle(campaignWorkflowId(campaignId), runId).fetchHistory();
    const continued = history.events?.find(
      (e) => e.workflowExecutionContinuedAsNewEventAttributes,
    )?.workflowExecutionContinuedAsNewEventAttributes;
    const payload = continued?.input?.payloads?.[0];
    if (payload) {
      const carried = client.options.loadedDataConverter.payloadConverter.fromPayload<{
        state: CampaignCarryOver;
      }>(payload);
      // Attempts taken and not yet dialled travel with the run; never more than one page of them.
      expect(carried.state.contacts.taken.length).toBeLessThanOrEqual(100);
      expect(carried.state.live?.length ?? 0).toBeLessThanOrEqual(MAX_CONCURRENT_CALLS);
    }
    const completed = history.events?.some((e) => e.workflowExecutionCompletedEventAttributes) ?? false;
    expect(Boolean(continued) || completed).toBe(true);
    runs.push({ events: history.events?.length ?? 0, carriedBytes: payload?.data?.length ?? null });
    next = continued?.newExecutionRunId;
  }
  return runs;
}
