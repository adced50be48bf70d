import { Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../schema/types';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { AdminGuard, TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { RequireRole } from '../common/roles';
import { ValidQuery } from '../common/validation';
import { InboxService } from '../webhooks/inbox.service';
import { InboxEventSchema, InboxPageSchema, InboxQuery, inboxEvent, inboxPage } from './inbox-views';
import { SYSTEM_DB } from '../common/tokens';
import { withTenant } from '../../schema/tenant-scope';

/**
 * The webhook inbox as operators need it: events that matched no call or whose call workflow had
 * ended stay there as `orphaned` with the reason, and deliveries that kept failing as `failed`.
 * The operator (ADMIN_TOKEN) sees every event, including those matched to no call.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin/webhook-inbox')
export class WebhookInboxController {
  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(InboxService) private readonly inbox: InboxService,
  ) {}

  /** Newest first; `nextBefore` fetches the next page. */
  @Get()
  @ApiResult(InboxPageSchema)
  list(@ValidQuery(InboxQuery) query: z.infer<typeof InboxQuery>) {
    return inboxPage(this.db, query);
  }

  /** One event with the payload as the provider sent it. */
  @Get(':id')
  @ApiResult(InboxEventSchema)
  get(@Param('id') id: string) {
    return inboxEvent(this.db, id);
  }

  /** A failed or orphaned event delivered again (409 for any other); answers the event, now pending. */
  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiResult(InboxEventSchema)
  async redeliver(@Param('id') id: string) {
    await this.inbox.redeliver(id);
    return inboxEvent(this.db, id);
  }
}

/**
 * A tenant's admins see the inbox events matched to their own calls (the console's operator
 * page). An event that matched no call could be any tenant's, so only the operator sees it.
 */
@ApiTags('webhook-inbox')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@RequireRole('admin')
@Controller('v1/webhook-inbox')
export class TenantWebhookInboxController {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(InboxService) private readonly inbox: InboxService,
  ) {}

  @Get()
  @ApiResult(InboxPageSchema)
  list(@Req() req: TenantRequest, @ValidQuery(InboxQuery) query: z.infer<typeof InboxQuery>) {
    return withTenant(this.db, req.tenantId, (trx) => inboxPage(trx, query, req.tenantId));
  }

  @Get(':id')
  @ApiResult(InboxEventSchema)
  get(@Req() req: TenantRequest, @Param('id') id: string) {
    return withTenant(this.db, req.tenantId, (trx) => inboxEvent(trx, id, req.tenantId));
  }

  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiResult(InboxEventSchema)
  async redeliver(@Req() req: TenantRequest, @Param('id') id: string) {
    await this.inbox.redeliver(id, req.tenantId);
    return withTenant(this.db, req.tenantId, (trx) => inboxEvent(trx, id, req.tenantId));
  }
}
