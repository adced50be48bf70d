import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CallFact } from '../domain/call-facts';
import type { CallingWindow } from '../domain/calling-window';
import type { CallOutcome, CallStatus, CallType, Label, Language, Provider } from '../domain/vocabulary';

export interface CallWorkflowInput {
  callId: string;
  tenantId: string;
  campaignId: string;
  contactId: string;
  attempt: number;
  toNumber: string;
  provider: Provider;
  callType: CallType;
  language: Language;
  /** IANA zone of the called party, for the calling window. */
  timezone: string;
  callingWindow: CallingWindow;
  name: string | null;
  variables: Record<string, string>;
  amd: { enabled: boolean; graceSeconds: number };
  transferNumber?: string;
  timing?: Partial<CallTiming>;
}

/** Durations the workflow waits for; defaults fit real calls, tests shorten them. */
export interface CallTiming {
  ringingTimeoutSeconds: number;
  /** Longest conversation we expect; past it (plus a margin) the provider is polled. */
  maxCallSeconds: number;
  /** How long a dial with an unknown result waits for a webhook before querying the provider. */
  reconcileSeconds: number;
  /** How often, and how many times, the provider is polled for a missing final webhook. */
  pollIntervalSeconds: number;
  pollAttempts: number;
}

export interface CallWorkflowResult {
  callId: string;
  contactId: string;
  attempt: number;
  status: CallStatus;
  outcome: CallOutcome | null;
  label: Label | null;
  sipCode: number | null;
  /** ISO time for a follow-up call, when the person answered LATER and named (or implied) a time. */
  followupAt?: string;
}

export interface CallView {
  callId: string;
  waitingFor: string;
  status: CallStatus;
  outcome: CallOutcome | null;
  label: Label | null;
  facts: CallFact[];
}

/** Every provider webhook, once verified and stored by the API, arrives as this signal. */
export const providerEventSignal = defineSignal<[CallFact]>('providerEvent');
export const hangupSignal = defineSignal<[{ by: string }]>('hangup');
export const callViewQuery = defineQuery<CallView>('callView');
