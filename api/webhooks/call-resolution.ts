import { matchCalls, type CallKeys } from '../../schema/repositories/call-match';
import { findActiveCallByPhone } from '../../schema/repositories/calls.repository';
import type { Executor } from '../../schema/repositories/executor';
import type { InboxEntry } from '../../schema/repositories/inbox.repository';
import { PROVIDER_EVENT_READERS } from './provider-events';

export interface EventToResolve {
  provider: string;
  call_id: string | null;
  payload: unknown;
}

/** The keys besides our call id that an event of `provider` carries: the provider's call id, the number. */
export function callMatchOf(provider: string, payload: unknown): Omit<CallKeys, 'provider' | 'callId'> {
  const reader = PROVIDER_EVENT_READERS[provider];
  return {
    providerCallId: reader?.providerCallId(payload) ?? null,
    anyProvider: reader?.anyProvider === true,
    phone: reader?.phone?.(payload) ?? null,
  };
}

/** The call each event is about, for a whole batch in one query (see `matchCalls`). */
export function resolveCallIds(
  db: Executor,
  events: readonly EventToResolve[],
): Promise<(string | undefined)[]> {
  return matchCalls(
    db,
    events.map((e) => ({ provider: e.provider, callId: e.call_id, ...callMatchOf(e.provider, e.payload) })),
  );
}

/**
 * An event that names no call but a number (Asterisk AMD or transfer of an Ultravox leg) is tied to
 * the live attempt to that number as it arrives. Its key then names the attempt too: a later attempt
 * to the same number (a retry) with the same verdict is a new event, not a duplicate of the first
 * attempt's.
 */
export async function attributeByPhone(db: Executor, entry: InboxEntry): Promise<InboxEntry> {
  if (entry.callId !== null) return entry;
  const phone = PROVIDER_EVENT_READERS[entry.provider]?.phone?.(entry.payload);
  const active = phone ? await findActiveCallByPhone(db, phone) : undefined;
  return active ? { ...entry, callId: active.id, eventKey: `${entry.eventKey}:${active.id}` } : entry;
}
