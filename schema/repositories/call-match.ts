import { sql, type RawBuilder } from 'kysely';
import type { Executor } from './executor';

/** What an event tells of the call it is about; any of it may be missing. */
export interface CallKeys {
  provider: string;
  /** Our call id, when the event carries it (dynamic variable, metadata, channel variable). */
  callId: string | null;
  providerCallId: string | null;
  /** The provider call id may name a call placed through another provider (Asterisk AMD on an Ultravox leg). */
  anyProvider: boolean;
  /** The number called: the last resort, for events that know nothing else. */
  phone: string | null;
}

/**
 * The columns a row of `CallKeys` has in `jsonb_to_recordset`; `outdial_store_inbox_events`
 * (migration 0007) reads the same names.
 */
const CALL_KEY_COLUMNS = sql.raw(
  'call_id uuid, provider text, provider_call_id text, any_provider boolean, phone text',
);

/** A `CallKeys` as the JSON object `CALL_KEY_COLUMNS` reads. */
export function callKeysRecord(keys: CallKeys) {
  return {
    call_id: keys.callId,
    provider: keys.provider,
    provider_call_id: keys.providerCallId,
    any_provider: keys.anyProvider,
    phone: keys.phone,
  };
}

/**
 * The call a row of keys (the relation named `alias`, with `CALL_KEY_COLUMNS`) is about: our call id
 * if it exists, else the newest attempt the provider knows by its id, else the newest live attempt
 * to the number (the `outdial_match_call` function, migration 0006).
 */
function matchedCallId(alias: string): RawBuilder<string | null> {
  const keys = sql.ref(alias);
  return sql<string | null>`outdial_match_call(
    ${keys}.call_id, ${keys}.provider, ${keys}.provider_call_id, ${keys}.any_provider, ${keys}.phone)`;
}

/** The call of each set of keys, in one query: undefined where none matches. */
export async function matchCalls(db: Executor, keys: readonly CallKeys[]): Promise<(string | undefined)[]> {
  if (keys.length === 0) return [];
  const records = JSON.stringify(keys.map((k, ord) => ({ ord, ...callKeysRecord(k) })));
  const query = sql<{ ord: number; call_id: string | null }>`
    select keys.ord, ${matchedCallId('keys')} as call_id
    from jsonb_to_recordset(${records}::jsonb) as keys(ord int, ${CALL_KEY_COLUMNS})`;
  const { rows } = await query.execute(db);
  const matched = new Array<string | undefined>(keys.length);
  for (const row of rows) matched[row.ord] = row.call_id ?? undefined;
  return matched;
}
