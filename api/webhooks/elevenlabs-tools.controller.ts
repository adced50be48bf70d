import { Body, Controller, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FlowToolsService } from './flow-tools.service';

/** ElevenLabs server tools and the conversation-initiation webhook; both carry X-Tool-Secret. */
@ApiExcludeController()
@Controller('api/elevenlabs')
export class ElevenLabsToolsController {
  constructor(@Inject(FlowToolsService) private readonly tools: FlowToolsService) {}

  @Post('tools/:tool')
  @HttpCode(200)
  async tool(
    @Param('tool') tool: string,
    @Headers('x-tool-secret') secret: string | undefined,
    @Body() body: unknown,
  ) {
    this.tools.authenticate(secret);
    return this.tools.call(tool, body);
  }

  @Post('conversation-init')
  @HttpCode(200)
  async conversationInit(@Headers('x-tool-secret') secret: string | undefined, @Body() body: unknown) {
    this.tools.authenticate(secret);
    return this.tools.conversationInit(body);
  }
}
