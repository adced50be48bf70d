import type { CallFact } from '../../domain/call-facts';
import type { Provider } from '../../domain/vocabulary';

/** What the call workflow asks a provider to dial. */
export interface PlaceCallRequest {
  callId: string;
  toNumber: string;
  /** Dynamic variables for the agent (contact's row), `call_id` is added by the adapter. */
  variables: Record<string, string>;
  /** The opening line, computed before dialing so the conversation never waits on a webhook. */
  firstMessage: string;
  language: string;
  ringingTimeoutSeconds: number;
}

export interface PlaceCallResult {
  providerCallId: string;
}

/** What the provider knows about a call now, for reconciliation and for a missing final webhook. */
export interface ProviderCallSnapshot {
  found: boolean;
  /** True when the provider considers the call over and its data final. */
  final: boolean;
  facts: CallFact[];
}

export interface VoiceProvider {
  readonly name: Provider;
  placeCall(request: PlaceCallRequest): Promise<PlaceCallResult>;
  hangUp(providerCallId: string): Promise<void>;
  /** Look a call up by provider id, or (when the dial result was lost) by our callId. */
  fetchCall(ref: { providerCallId?: string; callId: string }): Promise<ProviderCallSnapshot>;
  /**
   * Puts the person through to a human at `to` (E.164). Only providers whose agent cannot transfer
   * itself implement it; progress comes back as transfer facts from the provider's webhooks.
   */
  transfer?(ref: { providerCallId: string; to: string }): Promise<void>;
  /** The call's recording where the provider keeps one; undefined when it has none for the call. */
  fetchRecording?(providerCallId: string): Promise<Recording | undefined>;
}

export interface Recording {
  contentType: string;
  bytes: Buffer;
}

/** A dial request whose outcome we cannot know (timeout, connection reset after sending). */
export class DialOutcomeUnknownError extends Error {
  override readonly name = 'DialOutcomeUnknownError';
}

/** The provider refused the dial request (4xx): no call exists. */
export class DialRejectedError extends Error {
  override readonly name = 'DialRejectedError';
}
