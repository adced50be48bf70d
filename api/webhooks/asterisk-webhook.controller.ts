import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import { asteriskInboxEntry, type AsteriskEvent } from '../../activities/providers/asterisk/events';
import { InboxService } from './inbox.service';
import { AsteriskTokenGuard } from './signature.guards';

/** The dialplan's curl webhooks (seed 001 §7.1, §7.2, and transfers), authenticated by a shared token header. */
@ApiExcludeController()
@SkipThrottle()
@Controller('api/v1/webhooks')
@UseGuards(AsteriskTokenGuard)
export class AsteriskWebhookController {
  constructor(@Inject(InboxService) private readonly inbox: InboxService) {}

  @Post('amd-result')
  @HttpCode(200)
  amdResult(@Body() body: unknown) {
    return this.receive('amd-result', body);
  }

  @Post('call-failed')
  @HttpCode(200)
  callFailed(@Body() body: unknown) {
    return this.receive('call-failed', body);
  }

  /** The `ultravox-transfer` context: Ultravox's coldTransfer put the person through to an agent. */
  @Post('call-transferred')
  @HttpCode(200)
  callTransferred(@Body() body: unknown) {
    return this.receive('call-transferred', body);
  }

  /** The `outdial-transfer` context: how the Dial() of the human ended for an ARI call's transfer. */
  @Post('transfer-progress')
  @HttpCode(200)
  transferProgress(@Body() body: unknown) {
    return this.receive('transfer-progress', body);
  }

  private receive(event: AsteriskEvent, body: unknown) {
    return this.inbox.receive('asterisk', asteriskInboxEntry(event, body, new Date()), `a ${event} payload`);
  }
}
