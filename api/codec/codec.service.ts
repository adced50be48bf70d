import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { AppConfig } from '../../infra/config/config';
import { PayloadKeyError } from '../../infra/config/encryption-codec';
import { payloadCodecOf } from '../../infra/config/temporal-connection';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import type { CodecBody } from './codec.schemas';

type JsonPayload = CodecBody['payloads'][number];

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(data ?? '', 'base64'),
});

const toJson = ({ metadata, data }: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value ?? []).toString('base64')]),
  ),
  data: Buffer.from(data ?? []).toString('base64'),
});

/** The workers' payload codec for the Temporal UI and CLI; without payload keys payloads pass as they are. */
@Injectable()
export class CodecService {
  private readonly codec: PayloadCodec | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.codec = payloadCodecOf(config);
  }

  async encode(body: CodecBody): Promise<CodecBody> {
    return this.codec
      ? { payloads: (await this.codec.encode(body.payloads.map(fromJson))).map(toJson) }
      : body;
  }

  async decode(body: CodecBody): Promise<CodecBody> {
    try {
      return this.codec
        ? { payloads: (await this.codec.decode(body.payloads.map(fromJson))).map(toJson) }
        : body;
    } catch (error) {
      if (error instanceof PayloadKeyError)
        throw new ProblemError(HttpStatus.BAD_REQUEST, 'PAYLOAD_NOT_DECRYPTABLE', error.message);
      throw error;
    }
  }
}
