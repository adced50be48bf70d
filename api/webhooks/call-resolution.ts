import { Kysely } from 'kysely';
import {
  activeCallsByPhones,
  callsByProviderCallIds,
  existingCallIds,
} from '../../activities/db/calls.repository';
import type { DB } from '../../schema/types';
import { PROVIDER_EVENT_READERS } from './provider-events';

export interface EventToResolve {
  provider: string;
  call_id: string | null;
  payload: unknown;
}

/**
 * The call each event is about, for a whole batch in at most three queries: our call id if the event
 * carries one that exists, else the provider's call id, else the live attempt to the number called.
 */
export async function resolveCallIds(
  db: Kysely<DB>,
  events: readonly EventToResolve[],
): Promise<(string | undefined)[]> {
  const known = await existingCallIds(
    db,
    events.flatMap((e) => (e.call_id ? [e.call_id] : [])),
  );
  const resolved = events.map((e) => (e.call_id && known.has(e.call_id) ? e.call_id : undefined));

  const providerCallIds = events.map((e, i) =>
    resolved[i] ? undefined : PROVIDER_EVENT_READERS[e.provider]?.providerCallId(e.payload),
  );
  const byProviderId = await callsByProviderCallIds(
    db,
    providerCallIds.filter((id): id is string => id !== undefined),
  );
  events.forEach((e, i) => {
    const providerCallId = providerCallIds[i];
    if (providerCallId === undefined) return;
    const anyProvider = PROVIDER_EVENT_READERS[e.provider]?.anyProvider === true;
    resolved[i] = byProviderId.find(
      (call) => call.provider_call_id === providerCallId && (anyProvider || call.provider === e.provider),
    )?.id;
  });

  const phones = events.map((e, i) => (resolved[i] ? undefined : PROVIDER_EVENT_READERS[e.provider]?.phone?.(e.payload)));
  const byPhone = await activeCallsByPhones(
    db,
    phones.filter((p): p is string => p !== undefined),
  );
  return resolved.map((id, i) => id ?? (phones[i] === undefined ? undefined : byPhone.get(phones[i])));
}
