import { sql } from 'kysely';
import type { Executor } from './executor';

/**
 * A draft's start in two steps, status first and workflow second, so that a start lost in between
 * (the API process died, Temporal refused) is found: the row stays marked pending until
 * confirmWorkflowStarted.
 */
export async function requestCampaignStart(
  db: Executor,
  campaignId: string,
  /** A later start: the campaign is `scheduled` until then. */
  startAt?: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({
      status: startAt ? 'scheduled' : 'running',
      workflow_pending_since: sql<Date>`now()`,
      ...(startAt ? { start_at: startAt } : { started_at: sql<Date>`now()` }),
    })
    .where('id', '=', campaignId)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function confirmWorkflowStarted(db: Executor, campaignId: string): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ workflow_pending_since: null })
    .where('id', '=', campaignId)
    .execute();
}

/** Temporal refused the start: the campaign is a draft again. False when its workflow was started meanwhile. */
export async function revertCampaignStart(db: Executor, campaignId: string): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({ status: 'draft', started_at: null, start_at: null, workflow_pending_since: null })
    .where('id', '=', campaignId)
    .where('status', 'in', ['running', 'scheduled'])
    .where('workflow_pending_since', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Campaigns whose start has waited for its workflow longer than `seconds`: their start was lost. */
export function lostCampaignStarts(db: Executor, seconds: number, limit: number) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'tenant_id', 'config', 'start_at'])
    .where('status', 'in', ['running', 'scheduled'])
    .where('workflow_pending_since', '<', sql<Date>`now() - make_interval(secs => ${seconds})`)
    .orderBy('workflow_pending_since')
    .limit(limit)
    .execute();
}
