import {
  amdEventKey,
  amdFact,
  amdPhoneToE164,
  callFailedEventKey,
  callFailedFact,
  parseAmdResult,
  parseCallFailed,
} from '../../activities/providers/asterisk.mapping';
import { findActiveCallByPhone } from '../../activities/db/calls.repository';
import type { Executor } from '../../activities/db/executor';
import type { InboxEntry } from '../../activities/db/inbox.repository';
import type { CallFact } from '../../domain/call-facts';
import { isUuid } from './call-id';

export type AsteriskEvent = 'amd-result' | 'call-failed';

/** What is stored: the dialplan's curl body sends no time, so the time of receipt goes with it. */
interface StoredAsteriskEvent {
  receivedAt: string;
  body: unknown;
}

function isStored(payload: unknown): payload is StoredAsteriskEvent {
  return typeof payload === 'object' && payload !== null && 'receivedAt' in payload && 'body' in payload;
}

/** Undefined when the body is not a seed 001 payload of that webhook. */
export function asteriskInboxEntry(
  event: AsteriskEvent,
  body: unknown,
  receivedAt: Date,
): InboxEntry | undefined {
  const stored: StoredAsteriskEvent = { receivedAt: receivedAt.toISOString(), body };
  if (event === 'amd-result') {
    const amd = parseAmdResult(body);
    if (!amd) return undefined;
    return {
      provider: 'asterisk',
      eventKey: amdEventKey(amd),
      eventType: event,
      callId: amd.uuid !== undefined && isUuid(amd.uuid) ? amd.uuid : null,
      payload: stored,
    };
  }
  const failed = parseCallFailed(body);
  if (!failed) return undefined;
  return {
    provider: 'asterisk',
    eventKey: callFailedEventKey(failed),
    eventType: event,
    callId: isUuid(failed.uuid) ? failed.uuid : null,
    payload: stored,
  };
}

/**
 * A phone-only AMD result is tied to the live attempt to that number when it arrives. Its key then
 * names the attempt too: a later attempt to the same number (a retry) with the same verdict is a
 * new event, not a duplicate of the first attempt's.
 */
export async function attributePhoneOnlyAmd(db: Executor, entry: InboxEntry): Promise<InboxEntry> {
  if (entry.eventType !== 'amd-result' || entry.callId !== null) return entry;
  const phone = asteriskPhone(entry.payload);
  const active = phone ? await findActiveCallByPhone(db, phone) : undefined;
  return active ? { ...entry, callId: active.id, eventKey: `${entry.eventKey}:${active.id}` } : entry;
}

export function asteriskFacts(eventType: string, payload: unknown): CallFact[] {
  if (!isStored(payload)) return [];
  if (eventType === 'amd-result') {
    const amd = parseAmdResult(payload.body);
    return amd ? [amdFact(amd, payload.receivedAt)] : [];
  }
  if (eventType === 'call-failed') {
    const failed = parseCallFailed(payload.body);
    return failed ? [callFailedFact(failed, payload.receivedAt)] : [];
  }
  return [];
}

/** The ARI channel id (our VOICEAI_UUID for originated calls). */
export function asteriskProviderCallId(payload: unknown): string | undefined {
  if (!isStored(payload)) return undefined;
  const body = payload.body as { uuid?: unknown };
  return typeof body.uuid === 'string' && body.uuid !== '' ? body.uuid : undefined;
}

/** Seed 001 §7.1: the AMD of an Ultravox leg knows only the number dialled. */
export function asteriskPhone(payload: unknown): string | undefined {
  if (!isStored(payload)) return undefined;
  const body = payload.body as { phone?: unknown };
  return typeof body.phone === 'string' ? amdPhoneToE164(body.phone) : undefined;
}
