import { Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ultravoxInboxEntry } from '../../activities/providers/ultravox/events';
import { InboxService } from './inbox.service';
import { receivedJsonText } from './received-json';
import { UltravoxSignatureGuard, type RawRequest } from './signature.guards';

/** Ultravox call webhooks (seed 001 §7.3 path). */
@ApiExcludeController()
@Controller('api/v1/webhooks')
@UseGuards(UltravoxSignatureGuard)
export class UltravoxWebhookController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Post('ultravox')
  @HttpCode(200)
  callEvent(@Req() req: RawRequest) {
    return this.inbox.receive('ultravox', ultravoxInboxEntry(req.body), 'an Ultravox call event', receivedJsonText(req));
  }
}
