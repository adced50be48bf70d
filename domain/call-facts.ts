import type { AmdStatus, Label, Provider } from './vocabulary';

/**
 * Facts are what the call workflow learns about a call, from activities and provider webhooks.
 * Each carries a stable `key` (the webhook inbox event key, or a workflow-made key) so a fact
 * delivered twice is recognised. The final call record is a pure function of the set of facts.
 */
interface FactBase {
  key: string;
  /** ISO-8601 time the provider (or the workflow) says the fact happened. */
  at: string;
}

/** The provider accepted the dial request and named its call id. */
export interface DialAcceptedFact extends FactBase {
  kind: 'dial_accepted';
  provider: Provider;
  providerCallId: string;
}

/** The dial request itself failed before a call existed (4xx from the provider, refused number). */
export interface DialRejectedFact extends FactBase {
  kind: 'dial_rejected';
  reason: string;
}

/** The dial's result is unknown and reconciliation found no call at the provider. */
export interface DialUnknownFact extends FactBase {
  kind: 'dial_unknown';
  reason: string;
}

export interface RingingFact extends FactBase {
  kind: 'ringing';
}

export interface AnsweredFact extends FactBase {
  kind: 'answered';
}

/** Asterisk AMD(): HUMAN, MACHINE or NOTSURE with its cause (e.g. MAXWORDS-6-5). */
export interface AmdFact extends FactBase {
  kind: 'amd';
  status: AmdStatus;
  cause?: string;
}

/**
 * A SIP-level termination: Ultravox `sipDetails.terminationReason`, an Asterisk DIALSTATUS from
 * the call-failed webhook, or a raw SIP status code (ElevenLabs SIP metadata).
 */
export interface SipTerminationFact extends FactBase {
  kind: 'sip_termination';
  terminationReason?: string;
  dialStatus?: string;
  sipCode?: number;
  cause?: string;
}

/** ElevenLabs `call_initiation_failure`: the call never connected. */
export interface InitiationFailureFact extends FactBase {
  kind: 'initiation_failure';
  failureReason: 'busy' | 'no-answer' | 'unknown';
  sipCode?: number;
}

/** The provider's end of the call (ElevenLabs post-call data, Ultravox call.ended). */
export interface EndedFact extends FactBase {
  kind: 'ended';
  provider: Provider;
  /** Ultravox `endReason`, or the ElevenLabs termination reason text. */
  endReason?: string;
  /** The agent's voicemail_detection tool was called (the transcript shows it, or the end reason names it). */
  voicemailDetected?: boolean;
  durationSeconds?: number;
  startedAt?: string;
}

/** Post-call data that may arrive separately from the end (billing, transcript). */
export interface PostCallDataFact extends FactBase {
  kind: 'post_call_data';
  durationSeconds?: number;
  cost?: number;
  transcript?: TranscriptTurn[];
  summary?: string;
  /** The provider's own judgement of the call (ElevenLabs evaluation criteria and data collection). */
  analysis?: PostCallAnalysis;
}

export interface PostCallAnalysis {
  evaluation: { criterion: string; result: string; rationale: string | null }[];
  dataCollection: { field: string; value: unknown; rationale: string | null }[];
}

/** The flow runner settled on a label for the conversation. */
export interface LabelFact extends FactBase {
  kind: 'label';
  label: Label;
}

export interface TransferredFact extends FactBase {
  kind: 'transferred';
  to: string;
}

/**
 * Seed 002's blind transfer to the campaign's number, as it progresses: asked for, ringing, answered
 * by a person, or given up (busy, no answer, failed with its cause). Every report is its own fact;
 * the reducer reads the furthest stage, so the order they arrive in does not matter.
 */
export interface TransferFact extends FactBase {
  kind: 'transfer';
  stage: TransferStage;
  to: string;
  sipCode?: number;
  /** The Q.850 or SIP cause the provider gave for the human leg. */
  cause?: string;
  /** How long the person talked to the human, when the provider reports it. */
  humanSeconds?: number;
}

/** `refused`: the workflow would not transfer to the campaign's number (not E.164, not an allowed country). */
export const TRANSFER_STAGES = ['requested', 'ringing', 'answered', 'busy', 'no_answer', 'failed', 'refused'] as const;
export type TransferStage = (typeof TRANSFER_STAGES)[number];

/** The stages after which the human leg will never connect. */
export const FAILED_TRANSFER_STAGES: readonly TransferStage[] = ['busy', 'no_answer', 'failed', 'refused'];

export interface CallbackScheduledFact extends FactBase {
  kind: 'callback_scheduled';
}

/**
 * The agent asked for a tool outside the allowlist (seed 000 §5). Refused, and kept on the timeline
 * for operators; it changes neither status nor outcome.
 */
export interface ToolRefusedFact extends FactBase {
  kind: 'tool_refused';
  tool: string;
}

/** An operator asked to hang up (or cancel a ringing leg). */
export interface HangupRequestedFact extends FactBase {
  kind: 'hangup_requested';
  by: string;
}

/** The Do-Not-Call precheck refused the dial (listed, or the list could not be read). */
export interface DncBlockedFact extends FactBase {
  kind: 'dnc_blocked';
  reason: string;
}

/** The campaign was cancelled before this attempt dialled. */
export interface CancelledFact extends FactBase {
  kind: 'cancelled';
  reason: string;
}

export interface TranscriptTurn {
  role: 'agent' | 'user';
  message: string;
  timeInCallSecs?: number;
}

export type CallFact =
  | DialAcceptedFact
  | DialRejectedFact
  | DialUnknownFact
  | RingingFact
  | AnsweredFact
  | AmdFact
  | SipTerminationFact
  | InitiationFailureFact
  | EndedFact
  | PostCallDataFact
  | LabelFact
  | TransferredFact
  | TransferFact
  | CallbackScheduledFact
  | ToolRefusedFact
  | HangupRequestedFact
  | DncBlockedFact
  | CancelledFact;

export type CallFactKind = CallFact['kind'];
