import { Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { elevenLabsInboxEntry } from '../../activities/providers/elevenlabs/events';
import { InboxService } from './inbox.service';
import { receivedJsonText } from './received-json';
import { ElevenLabsSignatureGuard, type RawRequest } from './signature.guards';

/** ElevenLabs post-call webhooks (path kept compatible with the seeds' systems). */
@ApiExcludeController()
@Controller('api/elevenlabs')
@UseGuards(ElevenLabsSignatureGuard)
export class ElevenLabsWebhookController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Post('webhook')
  @HttpCode(200)
  postCall(@Req() req: RawRequest) {
    return this.inbox.receive(
      'elevenlabs',
      elevenLabsInboxEntry(req.body),
      'an ElevenLabs post-call event',
      receivedJsonText(req),
    );
  }
}
