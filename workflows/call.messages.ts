import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CallFact } from '../domain/call-facts';
import type { CallingWindow } from '../domain/calling-window';
import type { ClassifierMode } from '../domain/classifier';
import type { FlowSnapshot, FlowTool } from '../domain/flow-runner';
import type { CallOutcome, CallStatus, CallType, Label, Language, Provider } from '../domain/vocabulary';
import type { CampaignWorkflowInput } from './campaign.messages';

export interface CallWorkflowInput {
  callId: string;
  tenantId: string;
  campaignId: string;
  /** Null: a test call of a draft campaign, to a number the manager typed; it counts nowhere. */
  contactId: string | null;
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
  /** The countries (ISO alpha-2) `transferNumber` may belong to; absent, the workflow refuses it. */
  transferCountries?: string[];
  /** Absent: KEYWORD_ONLY. */
  classifier?: ClassifierMode;
  timing?: Partial<CallTiming>;
  /** Minutes until a LATER follow-up when the person named no time; defaults to 24 h. */
  followupDefaultMinutes?: number;
}

/**
 * One call of a campaign: its settings and the contact's row. A draft's test call passes no
 * contact id; the call itself is made exactly as a contact's would be.
 */
export function callInputFor(
  { campaignId, tenantId, settings }: Pick<CampaignWorkflowInput, 'campaignId' | 'tenantId' | 'settings'>,
  contact: {
    contactId: string | null;
    attempt: number;
    phone: string;
    name: string | null;
    variables: Record<string, string>;
  },
  callId: string,
): CallWorkflowInput {
  return {
    callId,
    tenantId,
    campaignId,
    contactId: contact.contactId,
    attempt: contact.attempt,
    toNumber: contact.phone,
    provider: settings.provider,
    callType: settings.callType,
    language: settings.language,
    timezone: settings.timezone,
    callingWindow: settings.callingWindow,
    name: contact.name,
    variables: contact.variables,
    amd: settings.amd,
    ...(settings.transferNumber ? { transferNumber: settings.transferNumber } : {}),
    ...(settings.transferCountries ? { transferCountries: settings.transferCountries } : {}),
    ...(settings.classifier ? { classifier: settings.classifier } : {}),
    ...(settings.callTiming ? { timing: settings.callTiming } : {}),
    ...(settings.followupDefaultMinutes ? { followupDefaultMinutes: settings.followupDefaultMinutes } : {}),
  };
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
  contactId: string | null;
  attempt: number;
  status: CallStatus;
  outcome: CallOutcome | null;
  label: Label | null;
  sipCode: number | null;
  /** When the person asked to be called later: the follow-up's due time (ISO); the campaign schedules it. */
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

/**
 * Every provider webhook, once verified and stored by the API, arrives as one signal carrying all the
 * facts it tells: one history event and one workflow task instead of one per fact. A tool the API
 * refused arrives the same way, as a fact of its own.
 */
/** Sent by a campaign run to a call silent for long: delivered means the call is still running. */
export const callAliveProbeSignal = defineSignal('aliveProbe');
export const providerFactsSignal = defineSignal<[CallFact[]]>('providerFacts');
export const hangupSignal = defineSignal<[{ by: string }]>('hangup');
export const callViewQuery = defineQuery<CallView>('callView');

/** The server-tool names the webhook routes to the workflow: one turn, or one allowlisted action. */
export type FlowToolName = 'flow_turn' | FlowTool;

/** One server-tool call (DESIGN.md "Server-tool webhook"); `requestId` is also the Temporal update id. */
export interface FlowTurnRequest {
  requestId: string;
  /** Defaults to `flow_turn`. */
  tool?: FlowToolName;
  utterance?: string;
  dtmf?: string;
  /** `log_call_outcome` only: the label the agent reports. */
  label?: Label;
}

/** What the agent says next; `endCall` tells it to hang up after saying it. */
export interface FlowTurnResult {
  message: string;
  label: Label;
  endCall: boolean;
  /** Transfer the person to this number now (ElevenLabs transfer_to_number, Ultravox coldTransfer). */
  transferTo?: string;
  /** With `transferTo`: the line to say when the transfer fails (the callback it falls back to). */
  transferFailedMessage?: string;
}

export interface FlowView {
  callId: string;
  /** The first line, as sent with the dial (and answered to the conversation-initiation webhook). */
  opening: string;
  language: Language;
  /** The dynamic variables sent with the dial. */
  dynamicVariables: Record<string, string>;
  snapshot: FlowSnapshot;
  followupAt: string | null;
}

/** A turn of the conversation: runs one transition of the flow machine and returns the next line. */
export const flowTurnUpdate = defineUpdate<FlowTurnResult, [FlowTurnRequest]>('flowTurn');
export const flowViewQuery = defineQuery<FlowView>('flowView');
