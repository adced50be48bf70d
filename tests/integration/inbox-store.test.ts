import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { matchCalls, type CallKeys } from '../../schema/repositories/call-match';
import { storeInboxEvents, type NewInboxEvent } from '../../schema/repositories/inbox.repository';
import { createDatabase, type Database } from '../../schema/database';
import { insertContactRows, type AttemptOwner } from '../support/contact-rows';
import { callWorkflowId } from '../../workflows/workflow-ids';

const NO_KEYS = { providerCallId: null, anyProvider: false, phone: null };

describe('inbox store: each event matched to its call in the statement that stores it', () => {
  let db: Database;
  let owner: AttemptOwner;
  let attempts = 0;

  /** An attempt as the call workflow records it; `ended` marks it over. */
  const attempt = async (values: {
    provider: string;
    toNumber: string;
    providerCallId?: string;
    ended?: boolean;
  }) => {
    const id = randomUUID();
    await db
      .insertInto('call_attempts')
      .values({
        id,
        ...owner,
        attempt: ++attempts,
        to_number: values.toNumber,
        provider: values.provider,
        provider_call_id: values.providerCallId ?? null,
        workflow_id: callWorkflowId(id),
        ended_at: values.ended ? new Date() : null,
      })
      .execute();
    return id;
  };
  const keys = (overrides: Partial<CallKeys>): CallKeys => ({
    provider: 'elevenlabs',
    callId: null,
    ...NO_KEYS,
    ...overrides,
  });
  const phone = () => `+9053${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), 2);
    owner = await insertContactRows(db, 'Inbox store', '+905320000001');
  });
  afterAll(async () => db?.destroy());

  it('finds a call by our id, else the provider call id, else the live attempt to the number', async () => {
    const number = phone();
    const byOurId = await attempt({ provider: 'elevenlabs', toNumber: phone() });
    const elevenLabs = await attempt({
      provider: 'elevenlabs',
      toNumber: phone(),
      providerCallId: `conv_${randomUUID()}`,
    });
    const ultravoxLeg = await attempt({
      provider: 'ultravox',
      toNumber: number,
      providerCallId: randomUUID(),
    });
    await attempt({ provider: 'ultravox', toNumber: number, ended: true });
    const conversationId = (
      await db
        .selectFrom('call_attempts')
        .select('provider_call_id')
        .where('id', '=', elevenLabs)
        .executeTakeFirstOrThrow()
    ).provider_call_id;

    const matched = await matchCalls(db, [
      // Our id wins over a provider call id naming another call.
      keys({ callId: byOurId, providerCallId: conversationId }),
      // An unknown id of ours falls through to the provider's.
      keys({ callId: randomUUID(), providerCallId: conversationId }),
      // The provider call id of another provider's attempt matches only where any provider may.
      keys({ provider: 'asterisk', providerCallId: conversationId }),
      keys({ provider: 'asterisk', providerCallId: conversationId, anyProvider: true }),
      // The number alone: the live attempt, not the newer one that has ended.
      keys({ provider: 'asterisk', phone: number }),
      keys({ callId: randomUUID(), providerCallId: `conv_${randomUUID()}`, phone: phone() }),
    ]);
    expect(matched).toEqual([byOurId, elevenLabs, undefined, elevenLabs, ultravoxLeg, undefined]);
  });

  it("never hands one tenant's event to another's call: a number two live calls dial matches neither", async () => {
    const number = phone();
    const first = await attempt({ provider: 'ultravox', toNumber: number });
    expect(await matchCalls(db, [keys({ provider: 'ultravox', phone: number })])).toEqual([first]);

    // Another tenant calls the same person while the first call is live.
    const otherTenant = await insertContactRows(db, 'Inbox store, other tenant', number);
    const second = randomUUID();
    await db
      .insertInto('call_attempts')
      .values({ id: second, ...otherTenant, attempt: 1, to_number: number, provider: 'ultravox', workflow_id: callWorkflowId(second) })
      .execute();
    expect(await matchCalls(db, [keys({ provider: 'ultravox', phone: number })])).toEqual([undefined]);

    // Once one of them has ended, the number names one call again.
    await db.updateTable('call_attempts').set({ ended_at: new Date() }).where('id', '=', first).execute();
    expect(await matchCalls(db, [keys({ provider: 'ultravox', phone: number })])).toEqual([second]);
  });

  it('stores a matched event leased to its process and settles an unmatched one by its rule, in one statement', async () => {
    const callId = await attempt({ provider: 'ultravox', toNumber: phone(), providerCallId: randomUUID() });
    const event = (eventKey: string, overrides: Partial<NewInboxEvent>): NewInboxEvent => ({
      provider: 'ultravox',
      eventKey,
      eventType: 'call.ended',
      callId: null,
      payload: { event: 'call.ended' },
      match: NO_KEYS,
      ifUnmatched: { status: 'orphaned', reason: 'never matches' },
      ...overrides,
    });
    const prefix = `store-${randomUUID()}`;
    const stored = await storeInboxEvents(
      db,
      [
        event(`${prefix}:matched`, { callId }),
        event(`${prefix}:retried`, {
          ifUnmatched: { status: 'pending', reason: 'not yet', retryMs: 300_000 },
        }),
        event(`${prefix}:orphaned`, {}),
      ],
      60,
    );
    expect(stored).toEqual([
      { id: expect.any(Number), callId, status: 'pending' },
      { id: expect.any(Number), callId: null, status: 'pending' },
      { id: expect.any(Number), callId: null, status: 'orphaned' },
    ]);

    const rows = await db
      .selectFrom('webhook_inbox')
      .select([
        'status',
        'reason',
        'attempts',
        sql<number>`extract(epoch from next_attempt_at - received_at)`.as('due_in_seconds'),
      ])
      .where('event_key', 'like', `${prefix}:%`)
      .orderBy('id')
      .execute();
    expect(rows.map(({ status, reason, attempts }) => ({ status, reason, attempts }))).toEqual([
      // Delivered from memory by the storing process; claimable by others once the lease ends.
      { status: 'pending', reason: null, attempts: 0 },
      // Its first look was the storing statement: the next comes by the retry schedule.
      { status: 'pending', reason: 'not yet', attempts: 1 },
      { status: 'orphaned', reason: 'never matches', attempts: 1 },
    ]);
    expect(rows.slice(0, 2).map((row) => Math.round(Number(row.due_in_seconds)))).toEqual([60, 300]);
  });
});
