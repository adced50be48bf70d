import {
  ULTRAVOX_EVENTS,
  ultravoxCallFromWire,
  ultravoxEventFacts,
} from './mapping';
import type { InboxEntry } from '../../../schema/repositories/inbox.repository';
import { isRecord } from '../http';
import type { CallFact } from '../../../domain/call-facts';
import { isUuid } from '../call-id';

/** `{ event, call }`: undefined when the body is not an Ultravox call event. */
export function ultravoxInboxEntry(payload: unknown): InboxEntry | undefined {
  if (!isRecord(payload) || typeof payload.event !== 'string' || !isRecord(payload.call)) return undefined;
  if (!(ULTRAVOX_EVENTS as readonly string[]).includes(payload.event)) return undefined;
  const call = ultravoxCallFromWire(payload.call);
  if (!call) return undefined;
  return {
    provider: 'ultravox',
    // Ultravox sends each event once per call (and retries it): the pair names it.
    eventKey: `${payload.event}:${call.callId}`,
    eventType: payload.event,
    callId: call.outdialCallId !== undefined && isUuid(call.outdialCallId) ? call.outdialCallId : null,
    payload,
  };
}

export function ultravoxProviderCallId(payload: unknown): string | undefined {
  return isRecord(payload) && isRecord(payload.call) && typeof payload.call.callId === 'string'
    ? payload.call.callId
    : undefined;
}

export function ultravoxFacts(eventType: string, payload: unknown): CallFact[] {
  if (!isRecord(payload) || !isRecord(payload.call)) return [];
  const call = ultravoxCallFromWire(payload.call);
  return call ? ultravoxEventFacts(eventType, call) : [];
}
