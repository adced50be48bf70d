import { HttpStatus } from '@nestjs/common';
import { z } from 'zod';
import { PROVIDERS } from '../../domain/vocabulary';
import { inboxEventById, listInboxEvents } from '../../schema/repositories/inbox-review.repository';
import type { Executor } from '../../schema/repositories/executor';
import type { InboxStatus } from '../../schema/types';
import { ProblemError } from '../common/problem';

const INBOX_STATUSES = [
  'pending',
  'delivered',
  'orphaned',
  'failed',
] as const satisfies readonly InboxStatus[];

export const InboxQuery = z.object({
  status: z.enum(INBOX_STATUSES).optional(),
  provider: z.enum(PROVIDERS).optional(),
  before: z.coerce.number().int().positive().optional().describe('an event id: events stored before it'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const InboxEventSummarySchema = z.object({
  id: z.number().int(),
  provider: z.string(),
  eventType: z.string(),
  eventKey: z.string(),
  callId: z.string().nullable(),
  status: z.enum(INBOX_STATUSES),
  reason: z.string().nullable(),
  attempts: z.number().int(),
  receivedAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
});

export const InboxPageSchema = z.object({
  items: z.array(InboxEventSummarySchema),
  nextBefore: z.number().int().nullable().describe('pass as `before` for the next page'),
});

export const InboxEventSchema = InboxEventSummarySchema.extend({
  payload: z.unknown().describe('the body as the provider sent it'),
});

type InboxRow = Awaited<ReturnType<typeof listInboxEvents>>[number];

function summary(row: InboxRow): z.infer<typeof InboxEventSummarySchema> {
  return {
    id: row.id,
    provider: row.provider,
    eventType: row.event_type,
    eventKey: row.event_key,
    callId: row.call_id,
    status: row.status,
    reason: row.reason,
    attempts: row.attempts,
    receivedAt: row.received_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

/** Newest first; `tenantId` keeps to the events matched to that tenant's calls. */
export async function inboxPage(db: Executor, query: z.infer<typeof InboxQuery>, tenantId?: string) {
  const { status, provider, before, limit } = query;
  const rows = await listInboxEvents(db, {
    limit,
    ...(status ? { status } : {}),
    ...(provider ? { provider } : {}),
    ...(before !== undefined ? { beforeId: before } : {}),
    ...(tenantId !== undefined ? { tenantId } : {}),
  });
  const last = rows[rows.length - 1];
  return { items: rows.map(summary), nextBefore: rows.length === limit && last ? last.id : null };
}

export async function inboxEvent(db: Executor, id: string, tenantId?: string) {
  const row = /^\d{1,15}$/.test(id) ? await inboxEventById(db, Number(id), tenantId) : undefined;
  if (!row) throw new ProblemError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `No webhook inbox event ${id}.`);
  return { ...summary(row), payload: row.payload };
}
