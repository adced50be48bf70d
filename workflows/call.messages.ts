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
  /**
   * The campaign's IANA zone. The calling window is read in the called party's zone: the number's
   * country's when it has a single zone, this one otherwise.
   */
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
  /** Longest wait for the provider to answer the dial request; past it the result is unknown. */
  dialTimeoutSeconds: number;
  /** Longest conversation we expect; past it (plus a margin) the provider is polled. */
  maxCallSeconds: number;
  /** How long a dial with an unknown result waits for a webhook before querying the provider. */
  reconcileSeconds: number;
  /** How often, and how many times, the provider is polled for a missing final webhook. */
  pollIntervalSeconds: number;
  pollAttempts: number;
  /** After a hang-up request, how long the provider has to report the end before it is asked. */
  hangupConfirmSeconds: number;
}

export interface CallWorkflowResult {
  callId: string;
  contactId: string;
  attempt: number;
  status: CallStatus;
  outcome: CallOutcome | null;
  label: Label | null;
  sipCode: number | null;
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
