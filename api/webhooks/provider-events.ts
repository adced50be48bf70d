import type { CallFact } from '../../domain/call-facts';
import { elevenLabsFacts, elevenLabsProviderCallId } from './elevenlabs.events';

/** How a stored webhook event of one provider becomes facts and finds its call. */
export interface ProviderEventReader {
  facts(eventType: string, payload: unknown): CallFact[];
  /** The provider's own call id, the fallback when the event carries no `call_id`. */
  providerCallId(payload: unknown): string | undefined;
  /** The called number, the last fallback (Asterisk AMD for an Ultravox leg knows only the phone). */
  phone?(payload: unknown): string | undefined;
}

export const PROVIDER_EVENT_READERS: Record<string, ProviderEventReader> = {
  elevenlabs: { facts: elevenLabsFacts, providerCallId: elevenLabsProviderCallId },
};
