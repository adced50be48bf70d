import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `outdial_store_inbox_events`: the statement that stores a batch of webhook events, each matched to
 * its call (`outdial_match_call`) and, when none matches, settled as `events` says. Sent as a
 * statement, it was parsed and planned for every batch, and under load a batch holds a few events:
 * planning cost more than the insert. As a PL/pgSQL function it is planned once per connection.
 *
 * `events` is a JSON array of objects with the columns below; `lease_seconds` is how long a matched
 * event is left to the process that stored it. Returns the rows stored (duplicates are skipped).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function outdial_store_inbox_events(events jsonb, lease_seconds int)
    returns table (id bigint, provider text, event_key text, call_id uuid, status text)
    language plpgsql as $$
    begin
      return query
      insert into webhook_inbox as inbox
        (provider, event_key, event_type, call_id, payload, status, reason, attempts, next_attempt_at)
      select event.provider, event.event_key, event.event_type, matched.call_id, event.payload,
        case when matched.call_id is null then event.unmatched_status else 'pending' end,
        case when matched.call_id is null then event.unmatched_reason end,
        case when matched.call_id is null then 1 else 0 end,
        now() + case
          when matched.call_id is null then make_interval(secs => coalesce(event.unmatched_retry_ms, 0) / 1000.0)
          else make_interval(secs => lease_seconds)
        end
      from jsonb_to_recordset(events) as event(
        call_id uuid, provider text, provider_call_id text, any_provider boolean, phone text,
        event_key text, event_type text, payload jsonb,
        unmatched_status text, unmatched_reason text, unmatched_retry_ms int)
      -- Offset 0 keeps the subquery whole: each event's call is looked up once, not once per use above.
      cross join lateral (
        select outdial_match_call(
          event.call_id, event.provider, event.provider_call_id, event.any_provider, event.phone) as call_id
        offset 0) as matched
      on conflict on constraint webhook_inbox_provider_event_uq do nothing
      returning inbox.id, inbox.provider, inbox.event_key, inbox.call_id, inbox.status;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function outdial_store_inbox_events(jsonb, int)`.execute(db);
}
