import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { storeInboxEvents } from '../../activities/db/inbox.repository';
import { InboxDelivery, unmatched } from '../../api/webhooks/inbox-delivery';
import { connectTemporalClient } from '../../infra/temporal-connection';
import { createDatabase, type Database } from '../../schema/database';
import { insertContactRows } from '../support/contact-rows';
import { eventually } from '../support/stack';

/** No worker polls it: the workflow stays open and takes signals, as a live call does. */
const IDLE_TASK_QUEUE = 'inbox-delivery-marks-idle';

describe("inbox delivery: fresh events' delivered marks", () => {
  let db: Database;
  let temporal: { client: Client; close(): Promise<void> };
  let callId: string;

  beforeAll(async () => {
    db = createDatabase(inject('databaseUrl'), 2);
    temporal = await connectTemporalClient({ address: inject('temporalAddress') });
    const owner = await insertContactRows(db, 'Delivery marks', '+905321112233');
    callId = randomUUID();
    await db
      .insertInto('call_attempts')
      .values({
        id: callId,
        ...owner,
        attempt: 1,
        to_number: '+905321112233',
        provider: 'elevenlabs',
        workflow_id: `call-${callId}`,
      })
      .execute();
    await temporal.client.workflow.start('callWorkflow', {
      workflowId: `call-${callId}`,
      taskQueue: IDLE_TASK_QUEUE,
      args: [],
    });
  });

  afterAll(async () => {
    await temporal?.client.workflow
      .getHandle(`call-${callId}`)
      .terminate('test over')
      .catch(() => undefined);
    await temporal?.close();
    await db?.destroy();
  });

  it('writes them after the signal, with the time of the signal, and before the process stops', async () => {
    const conversationId = `conv_${randomUUID()}`;
    const payload = {
      type: 'post_call_transcription',
      event_timestamp: Math.floor(Date.now() / 1000),
      data: {
        agent_id: 'agent_marks',
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

    // Marks wait far longer than this test: only stopping writes this one.
    const delivery = new InboxDelivery(db, temporal.client, new Logger('InboxDeliveryTest'), 60_000);
    delivery.deliverFresh({
      id: stored!.id,
      provider: 'elevenlabs',
      event_type: 'post_call_transcription',
      call_id: callId,
      payload,
      attempts: 0,
    });
    const handle = temporal.client.workflow.getHandle(`call-${callId}`);
    await eventually(
      async () => {
        const { events } = await handle.fetchHistory();
        return events?.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'providerFacts')
          ? true
          : undefined;
      },
      10_000,
      'the providerFacts signal',
    );
    const row = () =>
      db
        .selectFrom('webhook_inbox')
        .select([
          'status',
          'attempts',
          sql<number>`extract(epoch from now() - delivered_at) * 1000`.as('age_ms'),
        ])
        .where('id', '=', stored!.id)
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ status: 'pending', attempts: 0 });

    await new Promise((resolve) => setTimeout(resolve, 1000));
    await delivery.stop();
    const delivered = await row();
    expect(delivered).toMatchObject({ status: 'delivered', attempts: 1 });
    // Recorded as of the signal, a second or more before the mark was written.
    expect(Number(delivered.age_ms)).toBeGreaterThanOrEqual(900);
  });
});
