import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { verifyAsteriskToken } from '../../activities/providers/asterisk/signature';
import { verifyElevenLabsSignature, verifyToolSecret } from '../../activities/providers/elevenlabs/signature';
import type { SignatureCheck } from '../../activities/providers/signature';
import {
  ultravoxWebhookSecrets,
  verifyUltravoxSignature,
} from '../../activities/providers/ultravox/signature';
import type { AppConfig } from '../../infra/config/config';
import { webhooksReceived } from '../../infra/metrics/api-metrics';
import type { InboxEntry } from '../../schema/repositories/inbox.repository';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';

/** Signatures are checked against the exact bytes received (`rawBody: true` in create-app). */
export type RawRequest = Request & { rawBody?: Buffer };

type WebhookProvider = InboxEntry['provider'];

const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<RawRequest>();
const rawBodyOf = (req: RawRequest) => req.rawBody ?? Buffer.alloc(0);
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A refused webhook changes nothing: 401 before its body is read as an event. */
function passOrRefuse(provider: WebhookProvider, logger: Logger, what: string, check: SignatureCheck): true {
  if (check.ok) return true;
  webhooksReceived.inc({ provider, result: 'refused' });
  logger.warn(`rejected ${what}: signature ${check.reason}`);
  throw new ProblemError(401, 'INVALID_SIGNATURE', `Signature check failed: ${check.reason}.`);
}

@Injectable()
export class ElevenLabsSignatureGuard implements CanActivate {
  private readonly logger = new Logger('ElevenLabsWebhook');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = requestOf(context);
    const check = verifyElevenLabsSignature(
      rawBodyOf(req),
      req.header('elevenlabs-signature'),
      this.config.ELEVENLABS_WEBHOOK_SECRET,
      nowSeconds(),
    );
    return passOrRefuse('elevenlabs', this.logger, 'post-call webhook', check);
  }
}

@Injectable()
export class UltravoxSignatureGuard implements CanActivate {
  private readonly logger = new Logger('UltravoxWebhook');
  private readonly secrets: string[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.secrets = ultravoxWebhookSecrets(config.ULTRAVOX_WEBHOOK_SECRET);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = requestOf(context);
    const check = verifyUltravoxSignature(
      rawBodyOf(req),
      req.header('x-ultravox-webhook-signature'),
      req.header('x-ultravox-webhook-timestamp'),
      this.secrets,
      nowSeconds(),
    );
    return passOrRefuse('ultravox', this.logger, 'Ultravox webhook', check);
  }
}

@Injectable()
export class AsteriskTokenGuard implements CanActivate {
  private readonly logger = new Logger('AsteriskWebhook');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = requestOf(context);
    const token = req.header('x-webhook-token');
    if (verifyAsteriskToken(token, this.config.ASTERISK_WEBHOOK_TOKEN)) return true;
    webhooksReceived.inc({ provider: 'asterisk', result: 'refused' });
    this.logger.warn(`rejected ${req.path}: ${token === undefined ? 'missing' : 'wrong'} token`);
    throw new ProblemError(401, 'INVALID_SIGNATURE', 'Webhook token missing or wrong.');
  }
}

/** The server tools and the conversation-initiation webhook (X-Tool-Secret). */
@Injectable()
export class ToolSecretGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (verifyToolSecret(requestOf(context).header('x-tool-secret'), this.config.ELEVENLABS_TOOL_SECRET)) {
      return true;
    }
    throw new ProblemError(401, 'UNAUTHORIZED', 'A valid X-Tool-Secret header is required.');
  }
}
