import { Controller, Get, HttpCode, Inject, Injectable, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import { getCall, getCallTimeline } from '../../schema/repositories/calls.repository';
import { FINAL_CALL_STATUSES, type CallStatus } from '../../domain/vocabulary';
import type { AppConfig } from '../../infra/config/config';
import type { DB } from '../../schema/types';
import { hangupSignal } from '../../workflows/call.messages';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { RequireRole } from '../common/roles';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { ProblemError, notFound } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import { isUuid } from '../campaigns/campaigns.service';
import { callView } from '../campaigns/views';

@Injectable()
export class CallsService {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(tenantId: string, callId: string) {
    const row = isUuid(callId) ? await getCall(this.db, tenantId, callId) : undefined;
    if (!row) throw notFound('Call');
    const timeline = await getCallTimeline(this.db, callId);
    return {
      ...callView(this.config, row),
      transcript: row.transcript ?? [],
      timeline: timeline.map((event) => ({ kind: event.kind, at: event.at.toISOString(), fact: event.data })),
    };
  }

  /** The workflow runs the provider's cancel chain; the API only asks. */
  async hangup(tenantId: string, callId: string) {
    const call = await this.get(tenantId, callId);
    if (FINAL_CALL_STATUSES.includes(call.status as CallStatus)) {
      throw new ProblemError(409, 'CALL_ALREADY_FINISHED', `The call already ended (${call.status}).`);
    }
    try {
      await this.temporal.workflow.getHandle(call.workflowId).signal(hangupSignal, { by: `tenant:${tenantId}` });
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new ProblemError(409, 'CALL_ALREADY_FINISHED', 'The call is no longer running.');
      }
      throw error;
    }
    return { callId, hangupRequested: true };
  }
}

@ApiTags('calls')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/calls')
export class CallsController {
  constructor(@Inject(CallsService) private readonly calls: CallsService) {}

  @Get(':callId')
  get(@Req() req: TenantRequest, @Param('callId') callId: string) {
    return this.calls.get(req.tenantId, callId);
  }

  @Post(':callId/hangup')
  @HttpCode(202)
  @RequireRole('manager')
  hangup(@Req() req: TenantRequest, @Param('callId') callId: string) {
    return this.calls.hangup(req.tenantId, callId);
  }
}
