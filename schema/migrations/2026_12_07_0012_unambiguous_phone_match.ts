import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `outdial_match_call` as in 0006, but a match by number alone (an Ultravox leg's AMD result from
 * Asterisk, a conversation-init that lost its call id) only when exactly one live attempt dials that
 * number. Two tenants calling one person at once would otherwise hand one call's AMD result, or its
 * agent's variables, to the other tenant's call; an ambiguous event stays orphaned instead.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function outdial_match_call(
      call_id uuid, provider text, provider_call_id text, any_provider boolean, phone text
    ) returns uuid language plpgsql stable as $$
    declare
      found uuid;
      live integer;
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
        select min(c.id::text)::uuid, count(*) into found, live from call_attempts c
          where c.to_number = outdial_match_call.phone and c.ended_at is null;
        if live <> 1 then return null; end if;
      end if;
      return found;
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function outdial_match_call(
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
