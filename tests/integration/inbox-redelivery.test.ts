import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../schema/repositories/tenants.repository';
import { callWorkflowId } from '../../workflows/workflow-ids';
import { insertContactRows } from '../support/contact-rows';
import { createTenant, eventually, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

describe('redelivering failed webhook events (issue 20, item 10)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  /** A webhook event of a call of the tenant of `owner`, stored as its delivery gave up. */
  async function failedEvent(owner: Awaited<ReturnType<typeof insertContactRows>>) {
    const callId = randomUUID();
    await stack.db
      .insertInto('call_attempts')
      .values({ id: callId, ...owner, attempt: 1, to_number: '+905321112233', provider: 'elevenlabs', workflow_id: callWorkflowId(callId) })
      .execute();
    const row = await stack.db
      .insertInto('webhook_inbox')
      .values({
        provider: 'elevenlabs',
        event_key: `call_initiation_failure:${callId}`,
        event_type: 'call_initiation_failure',
        call_id: callId,
        payload: JSON.stringify({ type: 'call_initiation_failure', data: { conversation_id: `conv_${callId}`, failure_reason: 'busy' } }),
        status: 'failed',
        attempts: 40,
        reason: 'gave up after 40 delivery attempts over hours: Temporal unavailable',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('puts a failed event back in the queue and delivers it again; only failed or orphaned ones', async () => {
    const owner = await insertContactRows(stack.db, 'Redelivery', '+905321112233');
    const id = await failedEvent(owner);
    const admin = `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`;
    const res = await request(stack.apiUrl).post(`/v1/admin/webhook-inbox/${id}/redeliver`).set('authorization', admin).expect(200);
    expect(res.body).toMatchObject({ id, status: expect.stringMatching(/^(pending|orphaned)$/), attempts: expect.any(Number) });
    // Delivered again: this call's workflow is not running, so it ends orphaned with that reason, counted afresh.
    const settled = await eventually(async () => {
      const row = await stack.db.selectFrom('webhook_inbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return row.status === 'orphaned' ? row : undefined;
    }, 15_000);
    expect(settled).toMatchObject({ reason: 'the call workflow is not running', attempts: 1 });

    await stack.db.updateTable('webhook_inbox').set({ status: 'delivered' }).where('id', '=', id).execute();
    const conflict = await request(stack.apiUrl).post(`/v1/admin/webhook-inbox/${id}/redeliver`).set('authorization', admin).expect(409);
    expect(conflict.body.code).toBe('INBOX_EVENT_NOT_UNDELIVERABLE');
    await request(stack.apiUrl).post('/v1/admin/webhook-inbox/999999999/redeliver').set('authorization', admin).expect(404);
  });

  it("lets a tenant admin redeliver their own events and no other tenant's", async () => {
    const owner = await insertContactRows(stack.db, 'Redelivery tenant', '+905321112233');
    const id = await failedEvent(owner);
    const stranger = await createTenant(stack, 'Stranger');
    await request(stack.apiUrl).post(`/v1/webhook-inbox/${id}/redeliver`).set('authorization', `Bearer ${stranger.apiKey}`).expect(404);
    const { apiKey } = await createApiKey(stack.db, owner.tenant_id);
    const res = await request(stack.apiUrl).post(`/v1/webhook-inbox/${id}/redeliver`).set('authorization', `Bearer ${apiKey}`).expect(200);
    expect(res.body.id).toBe(id);
    expect(res.body.status).not.toBe('failed');
  });
});
