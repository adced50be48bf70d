import { matchCalls, type CallKeys } from '../../schema/repositories/call-match';
import type { Executor } from '../../schema/repositories/executor';
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
