import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { Kysely } from 'kysely';
import type { AppConfig } from '../../infra/config/config';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import type { DB } from '../../schema/types';
import { asteriskInboxEntry, attributePhoneOnly, type AsteriskEvent } from '../../activities/providers/asterisk/events';
import { InboxService } from './inbox.service';
import { safeEqual } from './signatures';

/** The dialplan's curl webhooks (seed 001 §7.1, §7.2, and transfers), authenticated by a shared token header. */
@ApiExcludeController()
@Controller('api/v1/webhooks')
export class AsteriskWebhookController {
  private readonly logger = new Logger('AsteriskWebhook');

  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Kysely) private readonly db: Kysely<DB>,
  ) {}

  @Post('amd-result')
  @HttpCode(200)
  amdResult(@Req() req: Request) {
    return this.accept('amd-result', req);
  }

  @Post('call-failed')
  @HttpCode(200)
  callFailed(@Req() req: Request) {
    return this.accept('call-failed', req);
  }

  /** The `ultravox-transfer` context: Ultravox's coldTransfer put the person through to an agent. */
  @Post('call-transferred')
  @HttpCode(200)
  callTransferred(@Req() req: Request) {
    return this.accept('call-transferred', req);
  }

  private async accept(event: AsteriskEvent, req: Request) {
    const expected = this.config.ASTERISK_WEBHOOK_TOKEN;
    const token = req.header('x-webhook-token');
    // No configured token refuses everything: an open endpoint would let anyone end calls as voicemail.
    if (!expected || token === undefined || !safeEqual(token, expected)) {
      this.logger.warn(`rejected ${event} webhook: ${token === undefined ? 'missing' : 'wrong'} token`);
      throw new ProblemError(401, 'INVALID_SIGNATURE', 'Webhook token missing or wrong.');
    }
    const entry = asteriskInboxEntry(event, req.body, new Date());
    if (!entry) throw new ProblemError(400, 'MALFORMED_WEBHOOK', `Not a ${event} payload.`);
    const stored = await this.inbox.accept(await attributePhoneOnly(this.db, entry));
    return { received: true, duplicate: !stored };
  }
}
