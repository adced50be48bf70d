import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AppConfig } from '../../infra/config/config';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import { InboxService } from './inbox.service';
import { receivedJsonText } from './received-json';
import { verifyUltravoxSignature } from './signatures';
import { ultravoxInboxEntry } from '../../activities/providers/ultravox/events';

type RawRequest = Request & { rawBody?: Buffer };

/** Ultravox call webhooks (seed 001 §7.3 path). */
@ApiExcludeController()
@Controller('api/v1/webhooks')
export class UltravoxWebhookController {
  private readonly logger = new Logger('UltravoxWebhook');
  /** Several keys are accepted while one is being rotated. */
  private readonly secrets: string[];

  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secrets = (config.ULTRAVOX_WEBHOOK_SECRET ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  @Post('ultravox')
  @HttpCode(200)
  async callEvent(@Req() req: RawRequest) {
    const check = verifyUltravoxSignature(
      req.rawBody ?? Buffer.alloc(0),
      req.header('x-ultravox-webhook-signature'),
      req.header('x-ultravox-webhook-timestamp'),
      this.secrets,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      this.logger.warn(`rejected Ultravox webhook: signature ${check.reason}`);
      throw new ProblemError(401, 'INVALID_SIGNATURE', `Signature check failed: ${check.reason}.`);
    }
    const entry = ultravoxInboxEntry(req.body);
    if (!entry) throw new ProblemError(400, 'MALFORMED_WEBHOOK', 'Not an Ultravox call event.');
    const stored = await this.inbox.accept({ ...entry, payloadJson: receivedJsonText(req) });
    return { received: true, duplicate: !stored };
  }
}
