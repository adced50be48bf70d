import { sql } from 'kysely';
import { asteriskInboxEntry, type AsteriskEvent } from '../../activities/providers/asterisk/events';
import { elevenLabsInboxEntry } from '../../activities/providers/elevenlabs/events';
import { Client as PgClient } from 'pg';
import type { RecordedWebhook } from '../../infra/dev/simulator/recorder';
import type { System } from '../../infra/stack/system';
import { temporalDatabases } from '../../infra/stack/temporal-server-config';
import { getCampaign, type ApiTarget } from '../support/campaigns';

/** What the invariants are read against: the system's own database and simulator, and one API. */
export interface CampaignUnderTest {
  system: System;
  api: ApiTarget;
  apiKey: string;
  campaignId: string;
  contacts: number;
  dnc: ReadonlySet<string>;
}

/** temporal.api.enums.v1.WorkflowExecutionStatus RUNNING, as current_executions stores it. */
const RUNNING = 1;

/** Call workflow ids and statuses, from the Temporal server's own persistence. */
async function callWorkflows(system: System): Promise<Map<string, number>> {
  const databases = temporalDatabases(system.postgres.url);
  const client = new PgClient({ ...databases, database: databases.persistence });
  await client.connect();
  try {
    const { rows } = await client.query<{ workflow_id: string; status: number }>(
      `SELECT workflow_id, status FROM current_executions WHERE workflow_id LIKE 'call-%'`,
    );
    return new Map(rows.map((row) => [row.workflow_id.slice('call-'.length), row.status]));
  } finally {
    await client.end();
  }
}

/**
 * The inbox keys the API may have stored a webhook under: ElevenLabs' own; the dialplan's, suffixed
 * with the call it was matched to when only a number named it (AMD of an ElevenLabs leg).
 */
function inboxKeys(webhook: RecordedWebhook): string[] {
  if (webhook.provider === 'elevenlabs') {
    const key = elevenLabsInboxEntry(JSON.parse(webhook.body))?.eventKey;
    return key ? [key] : [];
  }
  const event = new URL(webhook.url).pathname.split('/').pop() as AsteriskEvent;
  const body = Object.fromEntries(new URLSearchParams(webhook.body));
  const key = asteriskInboxEntry(event, body, new Date())?.eventKey;
  return key ? [key, `${key}:${webhook.callId}`] : [];
}

const acknowledged = (webhook: RecordedWebhook) =>
  webhook.status !== undefined && webhook.status >= 200 && webhook.status < 300;

/** Several of one value in `values`, once each. */
function repeated(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const value of values) (seen.has(value) ? twice : seen).add(value);
  return [...twice];
}

function sample(values: readonly string[]): string {
  return `${values.length} (${values.slice(0, 3).join(', ')}${values.length > 3 ? ', …' : ''})`;
}

/**
 * Every invariant the fault suite holds the system to, read from the database, the Temporal
 * server's persistence and the simulator's records. `final` adds what holds only once the campaign
 * has completed. Returns the violations, none when every invariant held.
 */
export async function checkInvariants(run: CampaignUnderTest, final: boolean): Promise<string[]> {
  const { system, campaignId } = run;
  const violations: string[] = [];
  const fail = (what: string, values: readonly string[]) => {
    if (values.length > 0) violations.push(`${what}: ${sample(values)}`);
  };

  // No number dialled twice for one attempt (one attempt per contact: no number twice at all), no
  // DNC number dialled.
  const dials = system.sim.dials();
  fail('attempts dialled twice', repeated(dials.map((d) => d.callId ?? '(no call id)')));
  fail('numbers dialled twice', repeated(dials.map((d) => d.toNumber)));
  fail(
    'DNC numbers dialled',
    dials.filter((d) => run.dnc.has(d.toNumber)).map((d) => d.toNumber),
  );

  // Every webhook the simulator saw acknowledged is stored (and, at the end, applied); every
  // acknowledged turn is recorded. The simulator's records are read first: what they hold was
  // answered before the rows are read.
  const answered = system.sim.webhooks.filter(acknowledged);
  const inbox = await system.db
    .selectFrom('webhook_inbox')
    .select(['event_key', 'status', 'reason'])
    .execute();
  const stored = new Map(inbox.map((row) => [row.event_key, row]));
  const turns = new Set(
    (await system.db.selectFrom('flow_turns').select(['call_id', 'request_id']).execute()).map(
      (row) => `${row.call_id} ${row.request_id}`,
    ),
  );
  // A call whose final webhook was late has its end from the provider's own record (it is polled,
  // as ElevenLabs does not retry): the webhook then finds the workflow closed, the record final.
  const finals = new Set(
    (
      await system.db
        .selectFrom('call_attempts')
        .select('id')
        .where('campaign_id', '=', campaignId)
        .where('outcome', 'is not', null)
        .execute()
    ).map((row) => row.id),
  );
  const unstored: string[] = [];
  const unapplied: string[] = [];
  for (const webhook of answered) {
    if (webhook.event.startsWith('tool:')) {
      const { request_id } = JSON.parse(webhook.body) as { request_id: string };
      if (!turns.has(`${webhook.callId} ${request_id}`)) unstored.push(`${webhook.event} ${request_id}`);
      continue;
    }
    const row = inboxKeys(webhook)
      .map((key) => stored.get(key))
      .find((found) => found !== undefined);
    const late = row?.status === 'orphaned' && webhook.callId !== undefined && finals.has(webhook.callId);
    if (!row) unstored.push(`${webhook.provider} ${webhook.event} for ${webhook.callId}`);
    else if (final && row.status !== 'delivered' && !late)
      unapplied.push(`${webhook.event} for ${webhook.callId}: ${row.status} ${row.reason ?? ''}`);
  }
  fail('acknowledged webhooks not stored', unstored);
  fail('acknowledged webhooks not applied', unapplied);

  // The API's counters against the rows; every contact counted once.
  const campaign = await getCampaign(run.api, run.apiKey, campaignId);
  const counted = Object.values(campaign.counts.byStatus).reduce((a, b) => a + b, 0);
  if (counted !== run.contacts) violations.push(`the API counts ${counted} contacts of ${run.contacts}`);

  // Every call row has its workflow; at the end, exactly the workflows, none still running.
  const attempts = await system.db
    .selectFrom('contacts as c')
    .leftJoin('call_attempts as a', 'a.contact_id', 'c.id')
    .select([
      'c.id as contact_id',
      'a.id as call_id',
      sql<string | null>`coalesce(c.final_status, a.status)`.as('status'),
      sql<string | null>`coalesce(c.final_outcome, a.outcome)`.as('outcome'),
    ])
    .where('c.campaign_id', '=', campaignId)
    .execute();
  const workflows = await callWorkflows(system);
  const calls = attempts.flatMap((a) => (a.call_id ? [a.call_id] : []));
  fail(
    'call rows without a workflow',
    calls.filter((id) => !workflows.has(id)),
  );
  if (!final) return violations;

  fail('contacts without exactly one attempt', repeated(attempts.map((a) => a.contact_id)));
  fail(
    'contacts without a final result',
    attempts.filter((a) => a.outcome === null).map((a) => a.contact_id),
  );
  const ours = new Set(calls);
  fail(
    'call workflows without a call row',
    [...workflows.keys()].filter((id) => !ours.has(id)),
  );
  fail(
    'call workflows still running',
    [...workflows].filter(([, status]) => status === RUNNING).map(([id]) => id),
  );
  const byOutcome: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  for (const a of attempts) {
    byOutcome[a.outcome ?? 'none'] = (byOutcome[a.outcome ?? 'none'] ?? 0) + 1;
    byStatus[a.status ?? 'queued'] = (byStatus[a.status ?? 'queued'] ?? 0) + 1;
  }
  const same = (a: Record<string, number>, b: Record<string, number>) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  if (!same(campaign.counts.byOutcome, byOutcome))
    violations.push(
      `API outcomes ${JSON.stringify(campaign.counts.byOutcome)} ≠ rows ${JSON.stringify(byOutcome)}`,
    );
  if (!same(campaign.counts.byStatus, byStatus))
    violations.push(
      `API statuses ${JSON.stringify(campaign.counts.byStatus)} ≠ rows ${JSON.stringify(byStatus)}`,
    );
  return violations;
}
