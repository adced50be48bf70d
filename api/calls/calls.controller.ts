import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { RequireRole } from '../common/roles';
import { ValidQuery } from '../common/validation';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { CallDetailSchema, CallPageSchema } from './call.schemas';
import { TenantCallsQuery } from './calls.requests';
import { CallsService } from './calls.service';

@ApiTags('calls')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/calls')
export class CallsController {
  constructor(@Inject(CallsService) private readonly calls: CallsService) {}

  @Get()
  @ApiResult(CallPageSchema)
  list(@Req() req: TenantRequest, @ValidQuery(TenantCallsQuery) query: z.infer<typeof TenantCallsQuery>) {
    return this.calls.list(req.tenantId, query);
  }

  @Get(':callId')
  @ApiResult(CallDetailSchema)
  get(@Req() req: TenantRequest, @Param('callId') callId: string) {
    return this.calls.get(req.tenantId, callId);
  }

  @Get(':callId/recording')
  @ApiProduces('audio/mpeg', 'audio/wav')
  async recording(@Req() req: TenantRequest, @Param('callId') callId: string, @Res() res: Response) {
    const recording = await this.calls.recording(req.tenantId, callId);
    res
      .status(200)
      .type(recording.contentType)
      .set('cache-control', 'private, max-age=300')
      .send(recording.bytes);
  }

  @Post(':callId/hangup')
  @HttpCode(202)
  @RequireRole('manager')
  @ApiResult(z.object({ callId: z.uuid(), hangupRequested: z.literal(true) }), 202)
  hangup(@Req() req: TenantRequest, @Param('callId') callId: string) {
    return this.calls.hangup(req.tenantId, callId);
  }
}
