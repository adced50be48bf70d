import { sql } from 'kysely';
import type { Executor } from './executor';

/** Buckets of the calls-over-time chart: a point a minute for an hour's run, wider for longer ones. */
const DAY = { seconds: 86_400, interval: '1 day' } as const;
const BUCKETS = [
  { seconds: 60, interval: '1 minute' },
  { seconds: 300, interval: '5 minutes' },
  { seconds: 900, interval: '15 minutes' },
  { seconds: 3600, interval: '1 hour' },
  DAY,
] as const;
const MAX_POINTS = 240;

/** Calls of a campaign started and ended per bucket, oldest first (test calls excluded). */
export async function callsOverTime(db: Executor, campaignId: string) {
  const span = await db
    .selectFrom('call_attempts')
    .select([
      sql<Date | null>`min(started_at)`.as('first'),
      sql<Date | null>`max(coalesce(ended_at, started_at))`.as('last'),
    ])
    .where('campaign_id', '=', campaignId)
    .where('contact_id', 'is not', null)
    .executeTakeFirst();
  if (!span?.first || !span.last) return [];
  const seconds = (span.last.getTime() - span.first.getTime()) / 1000;
  const bucket = BUCKETS.find((b) => seconds / b.seconds <= MAX_POINTS) ?? DAY;
  const rows = await sql<{ at: Date; started: number; ended: number }>`
    with times as (
      select date_bin(${bucket.interval}::interval, started_at, timestamptz 'epoch') as at, 1 as started, 0 as ended
        from call_attempts where campaign_id = ${campaignId} and contact_id is not null and started_at is not null
      union all
      select date_bin(${bucket.interval}::interval, ended_at, timestamptz 'epoch'), 0, 1
        from call_attempts where campaign_id = ${campaignId} and contact_id is not null and ended_at is not null
    )
    select at, sum(started)::int as started, sum(ended)::int as ended from times group by at order by at`.execute(
    db,
  );
  return rows.rows.map((row) => ({ at: row.at.toISOString(), started: row.started, ended: row.ended }));
}

/** Contacts per campaign, for the list's progress bars. */
export async function contactTotals(
  db: Executor,
  campaignIds: readonly string[],
): Promise<Map<string, number>> {
  if (campaignIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['campaign_id', sql<number>`count(*)::int`.as('n')])
    .where('campaign_id', 'in', campaignIds)
    .groupBy('campaign_id')
    .execute();
  return new Map(rows.map((row) => [row.campaign_id, row.n]));
}
