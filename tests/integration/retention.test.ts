import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboxRetention } from '../../api/webhooks/inbox-retention';
import { namespaceRetentionDays } from '../../infra/config/namespace-retention';
import type { InboxStatus } from '../../schema/types';
import { startTestStack, type TestStack } from '../support/stack';

/** Issue 23, item 4: neither the webhook inbox nor Temporal's closed workflows grow forever. */
describe('retention', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { INBOX_RETENTION_DAYS: '30' } });
  });
  afterAll(async () => stack?.close());

  /** Stores an event as delivery would have left it, `ageDays` ago. */
  const storeEvent = async (key: string, status: InboxStatus, ageDays: number) => {
    const at = sql<Date>`now() - make_interval(days => ${ageDays})`;
    const row = await stack.db
      .insertInto('webhook_inbox')
      .values({
        provider: 'ultravox',
        event_key: key,
        event_type: 'call.ended',
        payload: JSON.stringify({ key }),
        status,
        received_at: at,
        delivered_at: status === 'delivered' ? at : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };

  it('deletes delivered webhooks past INBOX_RETENTION_DAYS and keeps every other', async () => {
    const tag = `retention-${Date.now()}`;
    const old = await storeEvent(`${tag}-old`, 'delivered', 31);
    const recent = await storeEvent(`${tag}-recent`, 'delivered', 29);
    const oldOrphan = await storeEvent(`${tag}-orphan`, 'orphaned', 90);
    const oldFailed = await storeEvent(`${tag}-failed`, 'failed', 90);
    const oldPending = await storeEvent(`${tag}-pending`, 'pending', 90);

    const deleted = await stack.app.get(InboxRetention).purge();
    expect(deleted).toBeGreaterThanOrEqual(1);
    const left = await stack.db
      .selectFrom('webhook_inbox')
      .select('id')
      .where('event_key', 'like', `${tag}-%`)
      .execute();
    expect(left.map((row) => row.id).sort()).toEqual([recent, oldOrphan, oldFailed, oldPending].sort());
    expect(left.map((row) => row.id)).not.toContain(old);
    await stack.db.deleteFrom('webhook_inbox').where('event_key', 'like', `${tag}-%`).execute();
  });

  it('sets the retention of the namespace on the embedded engine', async () => {
    expect(await namespaceRetentionDays(stack.client)).toBe(7);
  });
});
