import { Body, Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import { FlowToolsService } from './flow-tools.service';
import { ToolSecretGuard } from './signature.guards';

/** ElevenLabs server tools and the conversation-initiation webhook; both carry X-Tool-Secret. */
@ApiExcludeController()
@SkipThrottle()
@Controller('api/elevenlabs')
@UseGuards(ToolSecretGuard)
export class ElevenLabsToolsController {
  constructor(@Inject(FlowToolsService) private readonly tools: FlowToolsService) {}

  @Post('tools/:tool')
  @HttpCode(200)
  tool(@Param('tool') tool: string, @Body() body: unknown) {
    return this.tools.call(tool, body);
  }

  @Post('conversation-init')
  @HttpCode(200)
  conversationInit(@Body() body: unknown) {
    return this.tools.conversationInit(body);
  }
}
