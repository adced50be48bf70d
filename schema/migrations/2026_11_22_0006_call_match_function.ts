import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `outdial_match_call`: the call a webhook event is about, from what the event tells. It runs inside
 * the statement that stores a batch of events; as a PL/pgSQL function its lookups are planned once
 * per connection, not each time a batch is stored, and a key the event lacks costs no lookup.
 * Our call id if it exists, else the newest attempt the provider knows by its call id (of that
 * provider unless `any_provider`), else the newest live attempt to the number.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function outdial_match_call(
      call_id uuid, provider text, provider_call_id text, any_provider boolean, phone text
    ) returns uuid language plpgsql stable as $$
    declare
      found uuid;
    begin
      if call_id is not null then
        select c.id into found from call_attempts c where c.id = outdial_match_call.call_id;
        if found is not null then return found; end if;
      end if;
      if provider_call_id is not null then
        select c.id into found from call_attempts c
          where c.provider_call_id = outdial_match_call.provider_call_id
            and (any_provider or c.provider = outdial_match_call.provider)
          order by c.created_at desc limit 1;
        if found is not null then return found; end if;
      end if;
      if phone is not null then
        select c.id into found from call_attempts c
          where c.to_number = outdial_match_call.phone and c.ended_at is null
          order by c.created_at desc limit 1;
      end if;
      return found;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function outdial_match_call(uuid, text, text, boolean, text)`.execute(db);
}
