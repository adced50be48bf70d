import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import type { Database } from '../../schema/database';
import { campaignProgressQuery } from '../../workflows/campaign.messages';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

export interface CampaignRunResult {
  seconds: number;
  callsCompleted: number;
  callsPerSecond: number;
  /** The campaign workflow's most calls in flight at once, sampled every second. */
  maxCallWorkflowsInFlight: number;
  outcomes: { status: string; outcome: string | null; n: string }[];
  /** Up to 50 of its calls' workflow ids, picked at random, for profileCalls. */
  sampledWorkflowIds: string[];
}

/**
 * Uploads `count` contacts as a campaign through the API, starts it and waits until the API reports
 * it completed, as a campaign manager would see it.
 */
export async function runCampaignThroughApi(options: {
  apiUrl: string;
  apiKey: string;
  client: Client;
  db: Database;
  count: number;
  maxConcurrentCalls: number;
  log: (line: string) => void;
}): Promise<CampaignRunResult> {
  const { apiUrl, apiKey, client, db, count, log } = options;
  const csv = ['ad,telefon,tutar,son_odeme_tarihi']
    .concat(Array.from({ length: count }, (_, i) => `Kişi ${i},0532${1_000_000 + i},${i} TL,2026-12-01`))
    .join('\n');
  const form = new FormData();
  form.append(
    'config',
    JSON.stringify({
      name: 'Bench',
      callType: 'BILLING_REMINDER',
      callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
      maxConcurrentCalls: options.maxConcurrentCalls,
      callsPerSecond: 100,
      amd: { enabled: false, graceSeconds: 0 },
      retry: { maxAttempts: 1, busyDelayMinutes: 1, noAnswerDelayMinutes: 1, retryVoicemail: false },
      timing: { reconcileSeconds: 5, pollIntervalSeconds: 2 },
      columnMapping: {
        phone: 'telefon',
        name: 'ad',
        variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
      },
    }),
  );
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'bench.csv');
  const created = await post(apiUrl, '/v1/campaigns', apiKey, form);
  if (created.status !== 201)
    throw new Error(`campaign upload failed: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };

  log(`campaign: ${count} calls, maxConcurrentCalls ${options.maxConcurrentCalls}`);
  const started = Date.now();
  const start = await post(apiUrl, `/v1/campaigns/${id}/start`, apiKey, '', 'application/json');
  if (start.status !== 200) throw new Error(`start failed: ${start.status} ${await start.text()}`);
  // The parent's window occupancy tells whether the parent or the calls are the bottleneck.
  let maxInFlight = 0;
  let probing = true;
  // One query at a time, and awaited before the connection closes: a retried query must not
  // outlive the client.
  const probe = (async () => {
    while (probing) {
      const progress = await client.workflow
        .getHandle(campaignWorkflowId(id))
        .query(campaignProgressQuery)
        .catch(() => undefined);
      maxInFlight = Math.max(maxInFlight, progress?.inFlight ?? 0);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  })();
  await client.workflow.getHandle(campaignWorkflowId(id)).result();
  // The last run returns once the last contact is settled; follow to the final run's end.
  for (let status = ''; status !== 'completed';) {
    const res = await fetch(`${apiUrl}/v1/campaigns/${id}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    status = ((await res.json()) as { status: string }).status;
    if (status !== 'completed') await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (Date.now() - started) / 1000;
  probing = false;
  await probe;
  log(`campaign completed in ${Math.round(seconds * 100) / 100} s`);

  const outcomes = await db
    .selectFrom('call_attempts')
    .select((eb) => ['status', 'outcome', eb.fn.countAll<string>().as('n')])
    .where('campaign_id', '=', id)
    .groupBy(['status', 'outcome'])
    .execute();
  const callsCompleted = outcomes
    .filter((o) => o.outcome === 'success')
    .reduce((sum, o) => sum + Number(o.n), 0);
  const sampled = await db
    .selectFrom('call_attempts')
    .select('workflow_id')
    .where('campaign_id', '=', id)
    .orderBy(sql`random()`)
    .limit(50)
    .execute();
  return {
    seconds,
    callsCompleted,
    callsPerSecond: callsCompleted / seconds,
    maxCallWorkflowsInFlight: maxInFlight,
    outcomes,
    sampledWorkflowIds: sampled.map((r) => r.workflow_id),
  };
}

export function post(
  base: string,
  path: string,
  token: string,
  body: string | FormData,
  contentType?: string,
) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(contentType ? { 'content-type': contentType } : {}) },
    body,
  });
}
