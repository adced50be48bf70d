import { Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CodecGuard } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { ValidBody } from '../common/validation';
import { CodecBody } from './codec.schemas';
import { CodecService } from './codec.service';

/** Temporal's codec server protocol, for the Temporal UI (`--ui-codec-endpoint`) and CLI (`--codec-endpoint`). */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(CodecGuard)
@Controller('v1/admin/codec')
export class CodecController {
  constructor(@Inject(CodecService) private readonly codec: CodecService) {}

  @Post('decode')
  @HttpCode(200)
  @ApiResult(CodecBody)
  decode(@ValidBody(CodecBody) body: CodecBody) {
    return this.codec.decode(body);
  }

  @Post('encode')
  @HttpCode(200)
  @ApiResult(CodecBody)
  encode(@ValidBody(CodecBody) body: CodecBody) {
    return this.codec.encode(body);
  }
}
