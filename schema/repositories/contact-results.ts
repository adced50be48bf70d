import { sql, type SqlBool } from 'kysely';
import type { ContactStatus } from '../../domain/vocabulary';
import type { Executor } from './executor';

/** The number of contact `c`'s latest attempt. */
export const LATEST_ATTEMPT_OF_C = sql<number>`(select max(attempt) from call_attempts x where x.contact_id = c.id)`;

// In the fragments below, `a` is contact `c`'s latest attempt.

/** The campaign closed the contact without a call's result (see settleUnfinishedContacts). */
const CLOSED = sql<SqlBool>`c.final_outcome is not null`;
/** The latest attempt has finished (finalizeCall counts it in `attempts`) and no next one waits. */
const SETTLED = sql<SqlBool>`a.attempt <= c.attempts and coalesce(c.retry_attempt, 0) <= a.attempt`;

const STATUS = sql<ContactStatus>`case
  when ${CLOSED} then c.final_status
  when a.id is null then 'queued'
  when c.retry_attempt > a.attempt then 'retry_pending'
  else a.status end`;
const OUTCOME = sql<
  string | null
>`case when ${CLOSED} then c.final_outcome when ${SETTLED} then a.outcome end`;
const LABEL = sql<string | null>`case when ${CLOSED} then c.final_label when ${SETTLED} then a.label end`;

/**
 * Each contact of a campaign with its result: the one definition behind the results export, the
 * live counters and the API. An outcome is what the contact ended with, so a contact has none while
 * its result may still change:
 * - closed by the campaign (cancelled, or its call never reported an end): the campaign's verdict;
 * - never dialled: `queued`;
 * - an attempt under way: that attempt's live status (`ringing`, `talking`, …);
 * - its next attempt (a retry or a follow-up) waiting: `retry_pending`;
 * - otherwise its last attempt's status, outcome and label.
 * The call columns (SIP code, times, cost, call id) are the latest attempt's, and `attempts` its
 * number. A next attempt counts as waiting once the campaign has stored it (storeContactRetries),
 * which it does on its next turn after the call ends.
 */
export function contactResults(db: Executor, campaignId: string) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('call_attempts as a', (join) =>
      join.onRef('a.contact_id', '=', 'c.id').on('a.attempt', '=', LATEST_ATTEMPT_OF_C),
    )
    .select([
      STATUS.as('status'),
      OUTCOME.as('outcome'),
      LABEL.as('label'),
      sql<number>`coalesce(a.attempt, 0)`.as('attempts'),
      'a.id as call_id',
      'a.sip_code',
      'a.hangup_cause',
      'a.amd_status',
      'a.amd_cause',
      'a.started_at',
      'a.answered_at',
      'a.ended_at',
      'a.duration_s',
      'a.cost',
      'a.transfer_to',
      'a.transfer_stage',
      'a.transfer_seconds',
    ])
    .where('c.campaign_id', '=', campaignId);
}

/**
 * One page of the results export: each contact with its result, in dial order. Keyset paging by
 * seq keeps memory flat however large the campaign.
 */
export async function resultsPage(db: Executor, campaignId: string, afterSeq: number, limit: number) {
  return contactResults(db, campaignId)
    .select([
      'c.seq',
      'c.row_number',
      'c.phone_e164',
      'c.raw_phone',
      'c.name',
      'c.variables',
      'c.source_cells',
    ])
    .where('c.seq', '>', afterSeq)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
}

export type ResultRow = Awaited<ReturnType<typeof resultsPage>>[number];

export interface CampaignCounts {
  byStatus: Record<string, number>;
  byOutcome: Record<string, number>;
  byLabel: Record<string, number>;
}

/** Live counters: contacts by their result's status, outcome and label. */
export async function campaignCounts(db: Executor, campaignId: string): Promise<CampaignCounts> {
  const rows = await db
    .selectFrom(contactResults(db, campaignId).as('r'))
    .select(['r.status', 'r.outcome', 'r.label', sql<number>`count(*)::int`.as('n')])
    .groupBy(['r.status', 'r.outcome', 'r.label'])
    .execute();
  const counts: CampaignCounts = { byStatus: {}, byOutcome: {}, byLabel: {} };
  for (const row of rows) {
    counts.byStatus[row.status] = (counts.byStatus[row.status] ?? 0) + row.n;
    if (row.outcome) counts.byOutcome[row.outcome] = (counts.byOutcome[row.outcome] ?? 0) + row.n;
    if (row.label) counts.byLabel[row.label] = (counts.byLabel[row.label] ?? 0) + row.n;
  }
  return counts;
}
