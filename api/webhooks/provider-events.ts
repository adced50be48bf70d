import type { CallFact } from '../../domain/call-facts';
import { asteriskFacts, asteriskPhone, asteriskProviderCallId } from '../../activities/providers/asterisk/events';
import { elevenLabsFacts, elevenLabsProviderCallId } from '../../activities/providers/elevenlabs/events';
import { ultravoxFacts, ultravoxProviderCallId } from '../../activities/providers/ultravox/events';

/** How a stored webhook event of one provider becomes facts and finds its call. */
export interface ProviderEventReader {
  facts(eventType: string, payload: unknown): CallFact[];
  /** The provider's own call id, the fallback when the event carries no `call_id`. */
  providerCallId(payload: unknown): string | undefined;
  /** The called number, the last fallback (Asterisk AMD for an Ultravox leg knows only the phone). */
  phone?(payload: unknown): string | undefined;
  /** The provider call id may name a call placed through another provider (Asterisk AMD on an Ultravox leg). */
  anyProvider?: boolean;
  /**
   * Event types sent only once the call is over and analysed: they cannot overtake the dial's write
   * of the provider call id, so one that matches no call is about a conversation Outdial did not
   * place (ElevenLabs sends its post-call webhooks for every conversation of the workspace).
   */
  afterCallEvents?: readonly string[];
}

export const PROVIDER_EVENT_READERS: Record<string, ProviderEventReader> = {
  elevenlabs: {
    facts: elevenLabsFacts,
    providerCallId: elevenLabsProviderCallId,
    afterCallEvents: ['post_call_transcription', 'post_call_audio'],
  },
  ultravox: { facts: ultravoxFacts, providerCallId: ultravoxProviderCallId },
  asterisk: {
    facts: asteriskFacts,
    providerCallId: asteriskProviderCallId,
    phone: asteriskPhone,
    anyProvider: true,
  },
};
