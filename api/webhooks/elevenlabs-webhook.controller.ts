import { Controller, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import type { AppConfig } from '../../infra/config/config';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import { elevenLabsInboxEntry } from '../../activities/providers/elevenlabs/events';
import { InboxService } from './inbox.service';
import { receivedJsonText } from './received-json';
import { verifyElevenLabsSignature } from './signatures';

type RawRequest = Request & { rawBody?: Buffer };

/** ElevenLabs post-call webhooks (path kept compatible with the seeds' systems). */
@ApiExcludeController()
@Controller('api/elevenlabs')
export class ElevenLabsWebhookController {
  private readonly logger = new Logger('ElevenLabsWebhook');

  constructor(
    @Inject(InboxService) private readonly inbox: InboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('webhook')
  @HttpCode(200)
  async postCall(@Req() req: RawRequest) {
    const raw = req.rawBody ?? Buffer.alloc(0);
    const check = verifyElevenLabsSignature(
      raw,
      req.header('elevenlabs-signature'),
      this.config.ELEVENLABS_WEBHOOK_SECRET,
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) {
      this.logger.warn(`rejected post-call webhook: signature ${check.reason}`);
      throw new ProblemError(401, 'INVALID_SIGNATURE', `Signature check failed: ${check.reason}.`);
    }
    const entry = elevenLabsInboxEntry(req.body);
    if (!entry) throw new ProblemError(400, 'MALFORMED_WEBHOOK', 'Not an ElevenLabs post-call event.');
    const stored = await this.inbox.accept({ ...entry, payloadJson: receivedJsonText(req) });
    return { received: true, duplicate: !stored };
  }
}
