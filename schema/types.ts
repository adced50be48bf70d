import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CallFactKind, TranscriptTurn } from '../domain/call-facts';

/** timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface TenantsTable {
  id: Generated<string>;
  name: string;
  created_at: CreatedAt;
  /** Live calls across all the tenant's campaigns; null: no limit. */
  max_concurrent_calls: number | null;
  /** Campaign uploads accepted per rolling hour; null: no limit. */
  uploads_per_hour: number | null;
}

export interface TenantUploadsTable {
  id: Generated<string>;
  tenant_id: string;
  uploaded_at: CreatedAt;
}

export interface ApiKeysTable {
  id: Generated<string>;
  tenant_id: string;
  key_hash: string;
  prefix: string;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

export type UserRole = 'admin' | 'manager' | 'viewer';

export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  password_hash: string;
  role: UserRole;
  created_at: CreatedAt;
}

export interface SessionsTable {
  /** sha256 of the cookie's token. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface CampaignsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  status: Generated<string>;
  config: Json<unknown>;
  mapping: Json<unknown>;
  report: Json<unknown>;
  source_file_name: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  /** A scheduled campaign's start; null when started at once (or not yet). */
  start_at: Timestamp | null;
  /** Set by a start until Temporal has the campaign's workflow: still set later, the start was lost. */
  workflow_pending_since: Timestamp | null;
}

export interface ContactsTable {
  id: Generated<string>;
  campaign_id: string;
  tenant_id: string;
  row_number: number;
  /** Position in the campaign's dial order, 0-based and dense: the campaign workflow pages by it. */
  seq: number;
  phone_e164: string;
  raw_phone: string;
  name: string | null;
  variables: Json<Record<string, string>>;
  /** The highest attempt finished. A contact's result: repositories/contact-results.ts. */
  attempts: Generated<number>;
  /**
   * The campaign's verdict on a contact it closed without a call's result (cancelled, or its call
   * never reported an end); cleared when an attempt finishes after it.
   */
  final_status: string | null;
  final_outcome: string | null;
  final_label: string | null;
  /** The contact's row as uploaded, parallel to the campaign source's `headers`. */
  source_cells: Json<string[]> | null;
  /** The attempt waiting to be dialled at `retry_at` (a retry or a follow-up), and its follow-up count. */
  retry_attempt: number | null;
  retry_followups: number | null;
  retry_at: Timestamp | null;
  /** The campaign run's claim that took the waiting attempt (see claimDueRetries). */
  retry_claim: string | null;
  created_at: CreatedAt;
}

export interface CampaignUploadsTable {
  campaign_id: string;
  file_name: string;
  /** The file as uploaded to the wizard, so another of its sheets can be chosen later. */
  bytes: Buffer;
}

export interface CampaignSourcesTable {
  campaign_id: string;
  /** The parsed upload (api/import ParsedSheet), kept while the campaign may be re-mapped. */
  sheet: Json<unknown>;
}

export interface CallAttemptsTable {
  id: string;
  tenant_id: string;
  campaign_id: string;
  /** Null for a test call of a draft: it belongs to no contact and counts nowhere. */
  contact_id: string | null;
  attempt: number;
  to_number: string;
  provider: string;
  provider_call_id: string | null;
  status: Generated<string>;
  outcome: string | null;
  label: string | null;
  sip_code: number | null;
  hangup_cause: string | null;
  amd_status: string | null;
  amd_cause: string | null;
  started_at: Timestamp | null;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_s: number | null;
  transfer_to: string | null;
  /** TransferStage: requested, ringing, answered, busy, no_answer, failed. */
  transfer_stage: string | null;
  /** The human leg's talk time, once the provider reported it. */
  transfer_seconds: number | null;
  cost: number | null;
  transcript: Json<TranscriptTurn[]> | null;
  workflow_id: string;
  /** When the attempt took one of its tenant's concurrent-call slots; it holds it until final. */
  dial_slot_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CallEventsTable {
  id: Generated<number>;
  call_id: string;
  fact_key: string;
  kind: CallFactKind;
  at: Timestamp;
  data: Json<unknown>;
  recorded_at: CreatedAt;
}

export interface DoNotCallTable {
  tenant_id: string;
  phone_e164: string;
  reason: string | null;
  source: string;
  created_at: CreatedAt;
}

export interface CallbacksTable {
  id: Generated<string>;
  tenant_id: string;
  call_id: string;
  phone_e164: string;
  reason: string | null;
  status: Generated<string>;
  created_at: CreatedAt;
}

export interface FollowupsTable {
  id: Generated<string>;
  tenant_id: string;
  campaign_id: string;
  contact_id: string;
  call_id: string;
  due_at: Timestamp;
  status: Generated<string>;
  created_at: CreatedAt;
}

export type InboxStatus = 'pending' | 'delivered' | 'orphaned' | 'failed';

export interface WebhookInboxTable {
  id: Generated<number>;
  provider: string;
  event_key: string;
  event_type: string;
  call_id: string | null;
  payload: Json<unknown>;
  status: ColumnType<InboxStatus, InboxStatus | undefined, InboxStatus>;
  attempts: Generated<number>;
  reason: string | null;
  received_at: CreatedAt;
  delivered_at: Timestamp | null;
  /** When the delivery loop may next claim a pending event. */
  next_attempt_at: Generated<Date>;
}

/** A conversation turn as the flow runner answered it (recorded by the server-tool webhook). */
export interface FlowTurnsTable {
  call_id: string;
  request_id: string;
  tool: string;
  utterance: string | null;
  dtmf: string | null;
  reply: string;
  label: string;
  end_call: boolean;
  at: CreatedAt;
}

export interface DB {
  tenants: TenantsTable;
  tenant_uploads: TenantUploadsTable;
  api_keys: ApiKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  campaigns: CampaignsTable;
  contacts: ContactsTable;
  campaign_sources: CampaignSourcesTable;
  campaign_uploads: CampaignUploadsTable;
  call_attempts: CallAttemptsTable;
  call_events: CallEventsTable;
  do_not_call: DoNotCallTable;
  callbacks: CallbacksTable;
  followups: FollowupsTable;
  webhook_inbox: WebhookInboxTable;
  flow_turns: FlowTurnsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type Campaign = Selectable<CampaignsTable>;
export type NewCampaign = Insertable<CampaignsTable>;
export type Contact = Selectable<ContactsTable>;
export type NewContact = Insertable<ContactsTable>;
export type CallAttempt = Selectable<CallAttemptsTable>;
export type NewCallAttempt = Insertable<CallAttemptsTable>;
export type CallAttemptUpdate = Updateable<CallAttemptsTable>;
export type CallEvent = Selectable<CallEventsTable>;
export type InboxEvent = Selectable<WebhookInboxTable>;
