import {
  callIdOf,
  conversationFacts,
  conversationFromWire,
  initiationFailureFact,
} from './mapping';
import type { CallFact } from '../../../domain/call-facts';
import type { InboxEntry } from '../../../schema/repositories/inbox.repository';
import { isRecord } from '../http';
import { isUuid } from '../call-id';

export const ELEVENLABS_EVENT_TYPES = [
  'post_call_transcription',
  'post_call_audio',
  'call_initiation_failure',
] as const;

/** Validates the envelope; returns undefined for a payload that is not an ElevenLabs post-call event. */
export function elevenLabsInboxEntry(payload: unknown): InboxEntry | undefined {
  if (!isRecord(payload) || typeof payload.type !== 'string' || !isRecord(payload.data)) return undefined;
  const conversationId = payload.data.conversation_id;
  if (typeof conversationId !== 'string' || conversationId.length === 0) return undefined;
  const callId = callIdOf(payload.data);
  return {
    provider: 'elevenlabs',
    // ElevenLabs sends one event of each type per conversation.
    eventKey: `${payload.type}:${conversationId}`,
    eventType: payload.type,
    callId: callId !== undefined && isUuid(callId) ? callId : null,
    payload,
  };
}

export function elevenLabsProviderCallId(payload: unknown): string | undefined {
  return isRecord(payload) && isRecord(payload.data) && typeof payload.data.conversation_id === 'string'
    ? payload.data.conversation_id
    : undefined;
}

/** The facts an ElevenLabs event tells; audio and unknown event types tell none. */
export function elevenLabsFacts(eventType: string, payload: unknown): CallFact[] {
  if (!isRecord(payload) || !isRecord(payload.data)) return [];
  const timestamp = typeof payload.event_timestamp === 'number' ? payload.event_timestamp : 0;
  switch (eventType) {
    case 'post_call_transcription':
      return conversationFacts(conversationFromWire(payload.data));
    case 'call_initiation_failure':
      return [initiationFailureFact(payload.data, timestamp)];
    default:
      return [];
  }
}
