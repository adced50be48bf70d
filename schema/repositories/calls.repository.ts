import { sql } from 'kysely';
import type { CallFact } from '../../domain/call-facts';
import type { CallResolution } from '../../domain/outcome-reducer';
import { FINAL_CALL_STATUSES } from '../../domain/vocabulary';
import type { Executor } from './executor';
import { lockTenant } from './tenant-quotas';

/** The call record the workflow writes: the reducer's resolution less its `final` flag. */
export type CallRecordState = Omit<CallResolution, 'final'>;

export interface ReserveAttemptInput {
  callId: string;
  tenantId: string;
  campaignId: string;
  /** Null for a test call of a draft. */
  contactId: string | null;
  attempt: number;
  toNumber: string;
  provider: string;
  workflowId: string;
}

/** Idempotent: a retried reservation finds the row it already wrote. */
export async function reserveAttempt(db: Executor, input: ReserveAttemptInput): Promise<void> {
  await db
    .insertInto('call_attempts')
    .values({
      id: input.callId,
      tenant_id: input.tenantId,
      campaign_id: input.campaignId,
      contact_id: input.contactId,
      attempt: input.attempt,
      to_number: input.toNumber,
      provider: input.provider,
      workflow_id: input.workflowId,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Appends facts to the call's timeline; a fact already recorded (same key) is skipped. */
export async function appendCallEvents(
  db: Executor,
  callId: string,
  facts: readonly CallFact[],
): Promise<void> {
  if (facts.length === 0) return;
  await db
    .insertInto('call_events')
    .values(
      facts.map((fact) => ({
        call_id: callId,
        fact_key: fact.key,
        kind: fact.kind,
        at: fact.at,
        data: JSON.stringify(fact),
      })),
    )
    .onConflict((oc) => oc.columns(['call_id', 'fact_key']).doNothing())
    .execute();
}

export async function writeCallState(db: Executor, callId: string, state: CallRecordState): Promise<void> {
  await db
    .updateTable('call_attempts')
    .set({
      status: state.status,
      outcome: state.outcome,
      label: state.label,
      sip_code: state.sipCode,
      hangup_cause: state.hangupCause,
      amd_status: state.amdStatus,
      amd_cause: state.amdCause,
      provider_call_id: state.providerCallId,
      started_at: state.startedAt,
      answered_at: state.answeredAt,
      ended_at: state.endedAt,
      duration_s: state.durationSeconds,
      transfer_to: state.transfer?.to ?? null,
      transfer_stage: state.transfer?.stage ?? null,
      transfer_seconds: state.transfer?.humanSeconds ?? null,
      cost: state.cost,
      transcript: state.transcript === null ? null : JSON.stringify(state.transcript),
      updated_at: new Date(),
    })
    .where('id', '=', callId)
    .execute();
}

/**
 * The live attempt to a number, for a request that knows only the phone (ElevenLabs'
 * conversation-init without our call id): the inbox's own rule (`outdial_match_call`, migration
 * 0012), so only when exactly one live attempt dials it and no call speaks another tenant's variables.
 */
export async function findActiveCallByPhone(db: Executor, phoneE164: string) {
  return db
    .selectFrom('call_attempts')
    .select(['id', 'tenant_id', 'workflow_id'])
    .where('id', '=', sql<string>`outdial_match_call(null, null, null, false, ${phoneE164})`)
    .executeTakeFirst();
}

export async function getAttempt(db: Executor, callId: string) {
  return db
    .selectFrom('call_attempts')
    .select(['id', 'contact_id', 'attempt', 'status', 'outcome', 'label', 'sip_code'])
    .where('id', '=', callId)
    .executeTakeFirst();
}

const CALL_COLUMNS = [
  'id',
  'campaign_id',
  'contact_id',
  'attempt',
  'to_number',
  'provider',
  'provider_call_id',
  'status',
  'outcome',
  'label',
  'sip_code',
  'hangup_cause',
  'amd_status',
  'amd_cause',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_s',
  'transfer_to',
  'transfer_stage',
  'transfer_seconds',
  'cost',
  'workflow_id',
  'created_at',
] as const;

export interface CallListFilters {
  status?: string;
  outcome?: string;
  label?: string;
  /** Opaque cursor: the last seen (created_at, id). */
  after?: { createdAt: string; id: string };
  limit: number;
}

export async function listCampaignCalls(
  db: Executor,
  tenantId: string,
  campaignId: string,
  filters: CallListFilters,
) {
  let query = db
    .selectFrom('call_attempts')
    .select(CALL_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .where('campaign_id', '=', campaignId)
    // A draft's test calls belong to no contact and are not the campaign's calls.
    .where('contact_id', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(filters.limit);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.outcome) query = query.where('outcome', '=', filters.outcome);
  if (filters.label) query = query.where('label', '=', filters.label);
  if (filters.after) {
    const { createdAt, id } = filters.after;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '>', new Date(createdAt)),
        eb.and([eb('created_at', '=', new Date(createdAt)), eb('id', '>', id)]),
      ]),
    );
  }
  return query.execute();
}

export interface TenantCallFilters extends CallListFilters {
  campaignId?: string;
  /** Digits of the number called, anywhere in it. */
  numberDigits?: string;
}

/**
 * A tenant's calls newest first, test calls included (the calls page). Keyset paging on
 * (created_at, id) walks call_attempts_tenant_recent_idx backwards: a page costs the same at any depth.
 */
export async function listTenantCalls(db: Executor, tenantId: string, filters: TenantCallFilters) {
  let query = db
    .selectFrom('call_attempts')
    .select(CALL_COLUMNS)
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filters.limit);
  if (filters.campaignId) query = query.where('campaign_id', '=', filters.campaignId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.outcome) query = query.where('outcome', '=', filters.outcome);
  if (filters.label) query = query.where('label', '=', filters.label);
  if (filters.numberDigits) query = query.where('to_number', 'like', `%${filters.numberDigits}%`);
  if (filters.after) {
    const createdAt = new Date(filters.after.createdAt);
    const { id } = filters.after;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
  }
  return query.execute();
}

export async function getCall(db: Executor, tenantId: string, callId: string) {
  return db
    .selectFrom('call_attempts')
    .select([...CALL_COLUMNS, 'transcript'])
    .where('tenant_id', '=', tenantId)
    .where('id', '=', callId)
    .executeTakeFirst();
}

export async function getCallTimeline(db: Executor, callId: string) {
  return db
    .selectFrom('call_events')
    .select(['kind', 'at', 'data', 'recorded_at'])
    .where('call_id', '=', callId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export type CallRow = Awaited<ReturnType<typeof listCampaignCalls>>[number];

/**
 * A slot claimed longer ago than this no longer counts: its call workflow was terminated before it
 * wrote a final status. Longer than any call can last (ringing, 3600 s of conversation, polls).
 */
const DIAL_SLOT_TTL = '3 hours';

/**
 * Gives the call a slot of its tenant's concurrent-call limit, or false when every slot is held by a
 * live call. Idempotent: a call holding a slot keeps it. Slots come free as calls reach a final
 * status. Run inside a transaction (the lock holds until it ends).
 */
export async function claimDialSlot(
  trx: Executor,
  input: { callId: string; tenantId: string },
): Promise<boolean> {
  const tenant = await lockTenant(trx, input.tenantId);
  const limit = tenant?.max_concurrent_calls ?? null;
  const call = await trx
    .selectFrom('call_attempts')
    .select('dial_slot_at')
    .where('id', '=', input.callId)
    .executeTakeFirst();
  if (call?.dial_slot_at) return true;
  if (limit !== null) {
    const { live } = await trx
      .selectFrom('call_attempts')
      .select(sql<number>`count(*)::int`.as('live'))
      .where('tenant_id', '=', input.tenantId)
      .where('dial_slot_at', '>', sql<Date>`now() - ${DIAL_SLOT_TTL}::interval`)
      .where('status', 'not in', [...FINAL_CALL_STATUSES])
      .executeTakeFirstOrThrow();
    if (live >= limit) return false;
  }
  await trx
    .updateTable('call_attempts')
    .set({ dial_slot_at: sql<Date>`now()` })
    .where('id', '=', input.callId)
    .execute();
  return true;
}

/** The call will not dial now after all (its calling window closed while it waited): its slot is free. */
export async function releaseDialSlot(db: Executor, callId: string): Promise<void> {
  await db.updateTable('call_attempts').set({ dial_slot_at: null }).where('id', '=', callId).execute();
}
