import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeInboxEvents } from '../../schema/repositories/inbox.repository';
import { InboxDelivery, unmatched } from '../../api/webhooks/inbox-delivery';
import { connectTemporalClient } from '../../infra/config/temporal-connection';
import { createDatabase, type Database } from '../../schema/database';
import { insertContactRows, type AttemptOwner } from '../support/contact-rows';
import { eventually } from '../support/stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

/** No worker polls it: the workflows stay open and take signals, as live calls do. */
const IDLE_TASK_QUEUE = 'inbox-delivery-idle';
const PHONE = '+905321112233';

describe('inbox delivery of the events a process has just stored', () => {
  let db: Database;
  let temporal: { client: Client; close(): Promise<void> };
  let owner: AttemptOwner;
  const callIds: string[] = [];

  /** A call attempt with an open workflow, as a live call has. */
  const startLiveCall = async (): Promise<string> => {
    const callId = randomUUID();
    callIds.push(callId);
    await db
      .insertInto('call_attempts')
      .values({
        id: callId,
        ...owner,
        attempt: callIds.length,
        to_number: PHONE,
        provider: 'elevenlabs',
        workflow_id: callWorkflowId(callId),
      })
      .execute();
    await temporal.client.workflow.start('callWorkflow', {
      workflowId: callWorkflowId(callId),
      taskQueue: IDLE_TASK_QUEUE,
      args: [],
    });
    return callId;
  };

  /** A post-call event for `callId`, stored as the accepting process stores it and leased to it for a minute. */
  const storeFreshEvent = async (callId: string) => {
    const conversationId = `conv_${randomUUID()}`;
    const payload = {
      type: 'post_call_transcription',
      event_timestamp: Math.floor(Date.now() / 1000),
      data: {
        agent_id: 'agent_delivery',
        conversation_id: conversationId,
        status: 'done',
        transcript: [{ role: 'user', message: 'Evet.', time_in_call_secs: 3 }],
        metadata: { start_time_unix_secs: Math.floor(Date.now() / 1000) - 10, call_duration_secs: 9 },
        conversation_initiation_client_data: { dynamic_variables: { call_id: callId } },
      },
    };
    const [stored] = await storeInboxEvents(
      db,
      [
        {
          provider: 'elevenlabs',
          eventKey: `post_call_transcription:${conversationId}`,
          eventType: 'post_call_transcription',
          callId,
          payload,
          match: { providerCallId: conversationId, anyProvider: false, phone: null },
          ifUnmatched: unmatched('elevenlabs', 'post_call_transcription', 0),
        },
      ],
      60,
    );
    expect(stored).toMatchObject({ callId, status: 'pending' });
    return {
      id: stored!.id,
      provider: 'elevenlabs',
      event_type: 'post_call_transcription',
      call_id: callId,
      payload,
      attempts: 0,
    };
  };

  /** When the call's workflow took each providerFacts signal, by the Temporal server's clock. */
  const signalTimes = async (callId: string): Promise<number[]> => {
    const { events } = await temporal.client.workflow.getHandle(callWorkflowId(callId)).fetchHistory();
    return (events ?? [])
      .filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'providerFacts')
      .map((e) => Number(e.eventTime!.seconds) * 1000 + e.eventTime!.nanos! / 1e6);
  };

  const inboxRow = (id: number) =>
    db
      .selectFrom('webhook_inbox')
      .select([
        'status',
        'attempts',
        sql<number>`extract(epoch from now() - delivered_at) * 1000`.as('age_ms'),
      ])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), 2);
    temporal = await connectTemporalClient({ address: inject('temporalAddress') });
    owner = await insertContactRows(db, 'Inbox delivery', PHONE);
  });

  afterAll(async () => {
    for (const callId of callIds) {
      await temporal?.client.workflow
        .getHandle(callWorkflowId(callId))
        .terminate('test over')
        .catch(() => undefined);
    }
    await temporal?.close();
    await db?.destroy();
  });

  it('writes delivered marks after the signal, with the time of the signal, and before the process stops', async () => {
    const callId = await startLiveCall();
    const event = await storeFreshEvent(callId);
    // Marks wait far longer than this test: only stopping writes this one.
    const delivery = new InboxDelivery(db, temporal.client, new Logger('InboxDeliveryTest'), 60_000);
    delivery.deliverFresh(event);
    await eventually(
      async () => ((await signalTimes(callId)).length > 0 ? true : undefined),
      10_000,
      'the providerFacts signal',
    );
    expect(await inboxRow(event.id)).toMatchObject({ status: 'pending', attempts: 0 });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    await delivery.stop();
    const delivered = await inboxRow(event.id);
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    // Recorded as of the signal, a second or more before the mark was written.
    expect(Number(delivered.age_ms)).toBeGreaterThanOrEqual(900);
  });

  it('starts the next pass a pass interval after the last, not as soon as an event comes', async () => {
    const callId = await startLiveCall();
    const [first, second] = [await storeFreshEvent(callId), await storeFreshEvent(callId)];
    const delivery = new InboxDelivery(db, temporal.client, new Logger('InboxDeliveryTest'));
    try {
      const handedOverAt = Date.now();
      delivery.deliverFresh(first);
      // The second comes the moment the first pass has signalled, well inside its interval.
      while ((await signalTimes(callId)).length === 0) await new Promise((r) => setTimeout(r, 5));
      delivery.deliverFresh(second);
      const times = await eventually(
        async () => {
          const signalled = await signalTimes(callId);
          return signalled.length === 2 ? signalled : undefined;
        },
        10_000,
        'both signals',
      );
      // The first pass started after the hand-over; the next no sooner than 100 ms after that.
      expect(times[1]! - handedOverAt).toBeGreaterThanOrEqual(100);
    } finally {
      await delivery.stop();
    }
  });

  it('signals the events it still holds when it stops, rather than leaving them to the lease', async () => {
    const callId = await startLiveCall();
    const event = await storeFreshEvent(callId);
    const delivery = new InboxDelivery(db, temporal.client, new Logger('InboxDeliveryTest'));
    delivery.deliverFresh(event);
    await delivery.stop();
    expect(await signalTimes(callId)).toHaveLength(1);
    expect(await inboxRow(event.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
