import { Controller, Get, HttpStatus, Inject, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { inboxEventById, listInboxEvents } from '../../schema/repositories/inbox-review.repository';
import { PROVIDERS } from '../../domain/vocabulary';
import type { DB, InboxStatus } from '../../schema/types';
import { AdminGuard } from '../common/auth.guard';
import { ProblemError } from '../common/problem';
import { ValidQuery } from '../common/validation';

const INBOX_STATUSES = [
  'pending',
  'delivered',
  'orphaned',
  'failed',
] as const satisfies readonly InboxStatus[];

const InboxQuery = z.object({
  status: z.enum(INBOX_STATUSES).optional(),
  provider: z.enum(PROVIDERS).optional(),
  before: z.coerce.number().int().positive().optional().describe('an event id: events stored before it'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

type InboxRow = Awaited<ReturnType<typeof listInboxEvents>>[number];

function summary(row: InboxRow) {
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

/**
 * The webhook inbox as operators need it: events that matched no call or whose call workflow had
 * ended stay there as `orphaned` with the reason, and deliveries that kept failing as `failed`.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin/webhook-inbox')
export class WebhookInboxController {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  /** Newest first; `nextBefore` fetches the next page. */
  @Get()
  async list(@ValidQuery(InboxQuery) { status, provider, before, limit }: z.infer<typeof InboxQuery>) {
    const rows = await listInboxEvents(this.db, {
      limit,
      ...(status ? { status } : {}),
      ...(provider ? { provider } : {}),
      ...(before !== undefined ? { beforeId: before } : {}),
    });
    const last = rows[rows.length - 1];
    return { items: rows.map(summary), nextBefore: rows.length === limit && last ? last.id : null };
  }

  /** One event with the payload as the provider sent it. */
  @Get(':id')
  async get(@Param('id') id: string) {
    const row = /^\d{1,15}$/.test(id) ? await inboxEventById(this.db, Number(id)) : undefined;
    if (!row) throw new ProblemError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `No webhook inbox event ${id}.`);
    return { ...summary(row), payload: row.payload };
  }
}
