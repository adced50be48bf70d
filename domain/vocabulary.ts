/** Public vocabulary of a call. Values are stored and returned as-is. */

export const CALL_STATUSES = [
  'queued',
  'ringing',
  'connected',
  'talking',
  'on_hold',
  'transferred',
  'completed',
  'failed',
  'no_answer',
  'busy',
  'blocked',
  'cancelled',
] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** A contact's status in a campaign: its call's, or `retry_pending` while its next attempt waits. */
export type ContactStatus = CallStatus | 'retry_pending';

export const CALL_OUTCOMES = [
  'success',
  'voicemail',
  'no_answer',
  'busy',
  'failed',
  'transferred',
  'callback_scheduled',
  /** The person asked never to be called again (label DONT_CALL). */
  'opted_out',
  'dnc_blocked',
  'cancelled',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const LABELS = ['YES', 'NO', 'LATER', 'DONT_CALL', 'ASK_AGENT', 'UNKNOWN'] as const;
export type Label = (typeof LABELS)[number];

export const PROVIDERS = ['elevenlabs', 'ultravox', 'asterisk'] as const;
export type Provider = (typeof PROVIDERS)[number];

export const CALL_TYPES = ['BILLING_REMINDER', 'APPOINTMENT_REMINDER', 'SHIPPING_UPDATE'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const LANGUAGES = ['tr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const AMD_STATUSES = ['HUMAN', 'MACHINE', 'NOTSURE'] as const;
export type AmdStatus = (typeof AMD_STATUSES)[number];

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'cancelling', 'cancelled', 'completed'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Statuses after which nothing about the call changes any more. */
export const FINAL_CALL_STATUSES: readonly CallStatus[] = [
  'completed',
  'failed',
  'no_answer',
  'busy',
  'blocked',
  'cancelled',
  'transferred',
];
