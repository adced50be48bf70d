import {
  amdEventKey,
  amdFact,
  dialplanNumberToE164,
  callFailedEventKey,
  callFailedFact,
  callTransferredEventKey,
  callTransferredFact,
  parseAmdResult,
  parseCallFailed,
  parseCallTransferred,
  parseTransferProgress,
  transferProgressEventKey,
  transferProgressFact,
} from './mapping';
import type { InboxEntry } from '../../../schema/repositories/inbox.repository';
import type { CallFact } from '../../../domain/call-facts';
import { isUuid } from '../call-id';

/** A webhook body as read: the call it names (if by uuid), its inbox key, and its fact. */
interface ReadEvent {
  uuid?: string;
  key: string;
  fact(at: string): CallFact;
}

function readWith<T extends { uuid?: string }>(
  payload: T | null,
  key: (payload: T) => string,
  fact: (payload: T, at: string) => CallFact,
): ReadEvent | null {
  return payload && { uuid: payload.uuid, key: key(payload), fact: (at) => fact(payload, at) };
}

/** Each of the dialplan's webhooks; null for a body that is not one. */
const READERS = {
  'amd-result': (body: unknown) => readWith(parseAmdResult(body), amdEventKey, amdFact),
  'call-failed': (body: unknown) => readWith(parseCallFailed(body), callFailedEventKey, callFailedFact),
  'call-transferred': (body: unknown) =>
    readWith(parseCallTransferred(body), callTransferredEventKey, callTransferredFact),
  'transfer-progress': (body: unknown) =>
    readWith(parseTransferProgress(body), transferProgressEventKey, transferProgressFact),
} satisfies Record<string, (body: unknown) => ReadEvent | null>;

export type AsteriskEvent = keyof typeof READERS;

/** The webhook paths the dialplan posts to, under /api/v1/webhooks/. */
export const ASTERISK_EVENTS = Object.keys(READERS) as AsteriskEvent[];

/** What is stored: the dialplan's curl body sends no time, so the time of receipt goes with it. */
interface StoredAsteriskEvent {
  receivedAt: string;
  body: unknown;
}

function isStored(payload: unknown): payload is StoredAsteriskEvent {
  return typeof payload === 'object' && payload !== null && 'receivedAt' in payload && 'body' in payload;
}

/** Undefined when the body is not a payload of that webhook. */
export function asteriskInboxEntry(
  event: AsteriskEvent,
  body: unknown,
  receivedAt: Date,
): InboxEntry | undefined {
  const read = READERS[event](body);
  if (!read) return undefined;
  return {
    provider: 'asterisk',
    eventKey: read.key,
    eventType: event,
    callId: read.uuid !== undefined && isUuid(read.uuid) ? read.uuid : null,
    payload: { receivedAt: receivedAt.toISOString(), body } satisfies StoredAsteriskEvent,
  };
}

export function asteriskFacts(eventType: string, payload: unknown): CallFact[] {
  if (!isStored(payload) || !Object.hasOwn(READERS, eventType)) return [];
  const read = READERS[eventType as AsteriskEvent](payload.body);
  return read ? [read.fact(payload.receivedAt)] : [];
}

/** The ARI channel id (our VOICEAI_UUID for originated calls). */
export function asteriskProviderCallId(payload: unknown): string | undefined {
  if (!isStored(payload)) return undefined;
  const body = payload.body as { uuid?: unknown };
  return typeof body.uuid === 'string' && body.uuid !== '' ? body.uuid : undefined;
}

/** Seed 001 §7.1: the AMD (and the transfer) of an Ultravox leg knows only the number dialled. */
export function asteriskPhone(payload: unknown): string | undefined {
  if (!isStored(payload)) return undefined;
  const body = payload.body as { phone?: unknown };
  return typeof body.phone === 'string' ? dialplanNumberToE164(body.phone) : undefined;
}
