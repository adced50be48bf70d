import { sql, type Transaction } from 'kysely';
import type { ContactRetry } from '../../domain/campaign-contacts';
import type { CampaignStatus } from '../../domain/vocabulary';
import type { DB } from '../types';
import { LATEST_ATTEMPT_OF_C } from './contact-results';
import { copyField, copyRows } from './copy-rows';
import { uuidV7Sequence } from './uuid-v7';
import type { Executor } from './executor';

export interface NewContactRow {
  rowNumber: number;
  phoneE164: string;
  rawPhone: string;
  name: string | null;
  variables: Record<string, string>;
  /** The row as uploaded, parallel to the source sheet's headers. */
  sourceCells: string[] | null;
}

/** Inserts a draft campaign, its parsed upload and its contacts; the caller runs it in a transaction. */
export async function insertDraftCampaign(
  db: Transaction<DB>,
  draft: {
    tenantId: string;
    name: string;
    config: unknown;
    mapping: unknown;
    report: unknown;
    sourceFileName: string | null;
    sheet: unknown;
    contacts: NewContactRow[];
  },
): Promise<string> {
  const { id } = await db
    .insertInto('campaigns')
    .values({
      tenant_id: draft.tenantId,
      name: draft.name,
      config: JSON.stringify(draft.config),
      mapping: JSON.stringify(draft.mapping),
      report: JSON.stringify(draft.report),
      source_file_name: draft.sourceFileName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Issued together: the connection runs them in order, and the contacts' COPY text is built while
  // Postgres still takes in the sheet.
  await Promise.all([
    db
      .insertInto('campaign_sources')
      .values({ campaign_id: id, sheet: JSON.stringify(draft.sheet) })
      .execute(),
    insertContacts(db, id, draft.tenantId, draft.contacts),
  ]);
  return id;
}

const CONTACT_COLUMNS = [
  'id',
  'campaign_id',
  'tenant_id',
  'row_number',
  'seq',
  'phone_e164',
  'raw_phone',
  'name',
  'variables',
  'source_cells',
] as const;

/**
 * COPY rather than INSERT: at 100k rows the per-statement and per-row overheads dominated the upload.
 * Postgres refuses COPY FROM into a table under row-level security, so the rows land in a temporary
 * table first and reach contacts in one INSERT … SELECT, which the policy checks.
 */
async function insertContacts(
  trx: Transaction<DB>,
  campaignId: string,
  tenantId: string,
  contacts: NewContactRow[],
) {
  if (contacts.length === 0) return;
  const columns = sql.join(CONTACT_COLUMNS.map((column) => sql.ref(column)));
  await sql`create temporary table contacts_staged as select ${columns} from contacts with no data`.execute(
    trx,
  );
  await copyRows(trx, 'contacts_staged', CONTACT_COLUMNS, contactLines(campaignId, tenantId, contacts));
  await sql`insert into contacts (${columns}) select ${columns} from contacts_staged`.execute(trx);
  await sql`drop table contacts_staged`.execute(trx);
}

function* contactLines(campaignId: string, tenantId: string, contacts: NewContactRow[]): Generator<string> {
  // One template per line rather than an array of fields: this runs once per contact.
  const campaign = copyField(campaignId);
  const tenant = copyField(tenantId);
  // Time-ordered ids: random ones cost Postgres a third of a second more per 100k contacts.
  const nextId = uuidV7Sequence();
  for (let seq = 0; seq < contacts.length; seq++) {
    const c = contacts[seq]!;
    const variables = copyField(JSON.stringify(c.variables));
    const cells = copyField(c.sourceCells && JSON.stringify(c.sourceCells));
    yield `${nextId()}\t${campaign}\t${tenant}\t${c.rowNumber}\t${seq}\t${copyField(c.phoneE164)}\t${copyField(c.rawPhone)}\t${copyField(c.name)}\t${variables}\t${cells}\n`;
  }
}

/** Locks a campaign row for the rest of the transaction (re-mapping against a concurrent start). */
export async function lockCampaign(db: Executor, tenantId: string, campaignId: string) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'status', 'config'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', campaignId)
    .forUpdate()
    .executeTakeFirst();
}

export async function getCampaignSheet(db: Executor, campaignId: string): Promise<unknown> {
  const row = await db
    .selectFrom('campaign_sources')
    .select('sheet')
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return row?.sheet;
}

/** Each contact's uploaded row, in sheet order: with the stored sheet, the whole upload. */
export async function contactSourceRows(db: Executor, campaignId: string) {
  return db
    .selectFrom('contacts')
    .select(['row_number', 'source_cells'])
    .where('campaign_id', '=', campaignId)
    .orderBy('row_number')
    .execute();
}

/** The uploaded column headers, without reading the stored rows. */
export async function getCampaignSourceHeaders(db: Executor, campaignId: string): Promise<string[] | null> {
  const row = await db
    .selectFrom('campaign_sources')
    .select(sql<string[] | null>`sheet->'headers'`.as('headers'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
  return row?.headers ?? null;
}

/** Keeps a wizard draft's file, so another of its sheets can be read later. */
export async function insertCampaignUpload(
  db: Executor,
  upload: { campaignId: string; fileName: string; bytes: Buffer },
): Promise<void> {
  await db
    .insertInto('campaign_uploads')
    .values({ campaign_id: upload.campaignId, file_name: upload.fileName, bytes: upload.bytes })
    .execute();
}

export async function getCampaignUpload(db: Executor, campaignId: string) {
  return db
    .selectFrom('campaign_uploads')
    .select(['file_name', 'bytes'])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirst();
}

/** A draft's first contacts in dial order, or the one named: what its previews and test call use. */
export async function draftContacts(
  db: Executor,
  campaignId: string,
  options: { limit: number; contactId?: string },
) {
  let query = db
    .selectFrom('contacts')
    .select(['id', 'row_number', 'phone_e164', 'name', 'variables'])
    .where('campaign_id', '=', campaignId)
    .orderBy('seq')
    .limit(options.limit);
  if (options.contactId) query = query.where('id', '=', options.contactId);
  return query.execute();
}

/**
 * Replaces a draft's contacts, mapping, report, config and stored sheet (which holds the rows that
 * are not contacts); the caller holds the row lock.
 */
export async function replaceDraftContacts(
  db: Transaction<DB>,
  draft: {
    campaignId: string;
    tenantId: string;
    name: string;
    config: unknown;
    mapping: unknown;
    report: unknown;
    sheet: unknown;
    contacts: NewContactRow[];
  },
): Promise<void> {
  await db.deleteFrom('contacts').where('campaign_id', '=', draft.campaignId).execute();
  await db
    .updateTable('campaign_sources')
    .set({ sheet: JSON.stringify(draft.sheet) })
    .where('campaign_id', '=', draft.campaignId)
    .execute();
  await insertContacts(db, draft.campaignId, draft.tenantId, draft.contacts);
  await db
    .updateTable('campaigns')
    .set({
      name: draft.name,
      config: JSON.stringify(draft.config),
      mapping: JSON.stringify(draft.mapping),
      report: JSON.stringify(draft.report),
    })
    .where('id', '=', draft.campaignId)
    .execute();
}

const CAMPAIGN_COLUMNS = [
  'id',
  'tenant_id',
  'name',
  'status',
  'config',
  'mapping',
  'report',
  'source_file_name',
  'created_at',
  'started_at',
  'finished_at',
  'start_at',
] as const;

export async function getCampaign(db: Executor, tenantId: string, campaignId: string) {
  return db
    .selectFrom('campaigns')
    .select(CAMPAIGN_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('id', '=', campaignId)
    .executeTakeFirst();
}

export async function listCampaigns(db: Executor, tenantId: string, limit: number) {
  return db
    .selectFrom('campaigns')
    .select(CAMPAIGN_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export type CampaignRow = NonNullable<Awaited<ReturnType<typeof getCampaign>>>;

/**
 * Moves a campaign between statuses only from one of `from`, so concurrent start/pause/cancel
 * requests cannot both win. Returns false when the campaign was not in an allowed status.
 */
export async function transitionCampaign(
  db: Executor,
  campaignId: string,
  from: readonly CampaignStatus[],
  to: CampaignStatus,
  /** Moving to `scheduled`: when the campaign starts. */
  startAt?: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('campaigns')
    .set({
      status: to,
      ...(startAt ? { start_at: startAt } : {}),
      ...(to === 'running' ? { started_at: sql<Date>`coalesce(started_at, now())` } : {}),
      ...(to === 'completed' || to === 'cancelled' ? { finished_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', campaignId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A scheduled campaign whose workflow began: it runs now. Nothing happens to any other status. */
export async function markScheduledRunning(db: Executor, campaignId: string): Promise<void> {
  await db
    .updateTable('campaigns')
    .set({ status: 'running', started_at: sql<Date>`coalesce(started_at, now())` })
    .where('id', '=', campaignId)
    .where('status', '=', 'scheduled')
    .execute();
}

/**
 * A page of contacts in dial order. `final_outcome` is null only for a contact that has neither
 * finished an attempt nor been closed: the outcome of its last finished attempt, else the campaign's.
 */
export async function contactsPage(db: Executor, campaignId: string, fromSeq: number, limit: number) {
  return db
    .selectFrom('contacts as c')
    .leftJoin('call_attempts as f', (join) =>
      join.onRef('f.contact_id', '=', 'c.id').onRef('f.attempt', '=', 'c.attempts'),
    )
    .select(['c.id', 'c.seq', 'c.phone_e164', 'c.name', 'c.variables'])
    .select(sql<string | null>`coalesce(c.final_outcome, f.outcome)`.as('final_outcome'))
    .where('c.campaign_id', '=', campaignId)
    .where('c.seq', '>=', fromSeq)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
}

/**
 * Counts a contact's attempt as finished; its result stays in the attempt's row (contact-results.ts).
 * A finished attempt supersedes a verdict the campaign wrote before (workers before migration 0008
 * also wrote every attempt's result there).
 */
export async function recordAttemptFinished(db: Executor, contactId: string, attempt: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set({
      attempts: sql<number>`greatest(attempts, ${attempt})`,
      final_status: null,
      final_outcome: null,
      final_label: null,
    })
    .where('id', '=', contactId)
    .execute();
}

/**
 * Closes, with the given verdict, every contact of the campaign still open: its latest attempt (or
 * its first, never begun) has not finished, or its next attempt waits in its row or in `awaitingRetry`.
 */
export async function settleUnfinishedContacts(
  db: Executor,
  input: { campaignId: string; awaitingRetry: readonly string[]; status: string; outcome: string },
): Promise<number> {
  const result = await db
    .updateTable('contacts as c')
    .set({ final_status: input.status, final_outcome: input.outcome, final_label: null, retry_at: null })
    .where('c.campaign_id', '=', input.campaignId)
    .where('c.final_outcome', 'is', null)
    .where((eb) =>
      eb.or([
        eb('c.attempts', '<', sql<number>`coalesce(${LATEST_ATTEMPT_OF_C}, 1)`),
        eb('c.retry_attempt', '>', eb.ref('c.attempts')),
        ...(input.awaitingRetry.length > 0 ? [eb('c.id', 'in', [...input.awaitingRetry])] : []),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Makes each contact's next attempt wait in its row (idempotent: the same retry sets the same values). */
export async function storeContactRetries(
  db: Executor,
  campaignId: string,
  retries: readonly ContactRetry[],
): Promise<void> {
  if (retries.length === 0) return;
  await sql`
    update contacts c
    set retry_attempt = r.attempt, retry_followups = r.followups,
        retry_at = to_timestamp(r.not_before / 1000.0), retry_claim = null
    from unnest(${retries.map((r) => r.contactId)}::uuid[], ${retries.map((r) => r.attempt)}::int[],
                ${retries.map((r) => r.followups)}::int[], ${retries.map((r) => r.notBefore)}::float8[])
      as r(contact_id, attempt, followups, not_before)
    where c.id = r.contact_id and c.campaign_id = ${campaignId}
      and (c.retry_attempt is null or c.retry_attempt <= r.attempt)`.execute(db);
}

/**
 * Takes up to `limit` waiting attempts due by `dueBy` (epoch ms), earliest first, under `claim`:
 * a repeated call with the same claim returns the rows it took before as well, so a retried
 * activity loses none. Also answers how many wait still and when the next is due.
 */
export async function claimDueRetries(
  db: Executor,
  input: { campaignId: string; claim: string; dueBy: number; limit: number },
) {
  await sql`
    update contacts set retry_claim = ${input.claim}, retry_at = null
    where id in (
      select id from contacts
      where campaign_id = ${input.campaignId} and retry_at is not null
        and retry_at <= to_timestamp(${input.dueBy} / 1000.0)
      order by retry_at
      limit ${input.limit}
      for update skip locked)`.execute(db);
  const claimed = await db
    .selectFrom('contacts')
    .select(['id', 'seq', 'phone_e164', 'name', 'variables', 'retry_attempt', 'retry_followups'])
    .where('campaign_id', '=', input.campaignId)
    .where('retry_claim', '=', input.claim)
    .orderBy('seq')
    .execute();
  return { claimed, ...(await retriesWaiting(db, input.campaignId)) };
}

/** How many attempts of a campaign wait in their rows, and when the earliest is due (epoch ms). */
export async function retriesWaiting(db: Executor, campaignId: string) {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('retry_at').as('next')])
    .where('campaign_id', '=', campaignId)
    .where('retry_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.n), nextDueAt: row.next === null ? null : new Date(row.next).getTime() };
}
