import 'reflect-metadata';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule, type ApiDeps } from './app.module';
import express, { type Request } from 'express';
import helmet from 'helmet';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { AppConfig } from '../infra/config/config';
import { LeveledLogger } from './common/http-logging';
import { requestId } from './common/request-id';
import { TraceRoute } from './common/trace-route';
import { bearerGate } from './common/bearer-gate';
import { codecCors } from './codec/codec-cors';
import { bodyParserErrors } from './common/body-parser-errors';
import { ProblemFilter } from './common/problem.filter';
import { ResponseContract } from './common/responses';
import { serveConsole } from './console/serve-console';
import { DocsRoutes } from './docs/docs-routes';
import { ASTERISK_EVENTS } from '../activities/providers/asterisk/events';
import { openApiDocument } from './docs/openapi-document';

/** Webhook bodies are small; a larger one is refused before it is read (413). */
const JSON_LIMIT = '1mb';
/**
 * ElevenLabs' post-call webhook carries the whole transcript and analysis (and, for post_call_audio,
 * the recording in base64): a long call's is several megabytes, and a refused one is never stored.
 */
const POST_CALL_WEBHOOK = '/api/elevenlabs/webhook';
const POST_CALL_LIMIT = '25mb';
/** The dialplan's CURL() posts form bodies: its arguments cannot carry JSON's double quotes. */
const ASTERISK_WEBHOOKS = ASTERISK_EVENTS.map((event) => `/api/v1/webhooks/${event}`);
const ASTERISK_WEBHOOK_LIMIT = '16kb';
/** Temporal refuses a payload over 2 MB; the UI sends an event's few at once, in base64. */
const CODEC = '/v1/admin/codec';
const CODEC_LIMIT = '10mb';
/** Keeps the bytes as received, as Nest's `rawBody: true` does: signatures are checked over them. */
const keepRawBody = (req: Request & { rawBody?: Buffer }, _res: unknown, buffer: Buffer) => {
  req.rawBody = buffer;
};

/** Nest's own lines worth keeping: its route map and module wiring only when debugging. */
function nestLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] {
  return level === 'debug' || level === 'trace'
    ? ['log', 'debug', 'warn', 'error', 'fatal']
    : ['warn', 'error', 'fatal'];
}

/** `logger`: the API's lines (createLogger), one per request and what Nest and the services log; none when absent. */
export async function createApiApp(
  deps: ApiDeps,
  options: { logger?: Logger | false } = {},
): Promise<INestApplication> {
  const logger = options.logger || undefined;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({ ...deps, ...(logger ? { logger } : {}) }),
    {
      // Signatures are computed over the exact bytes received.
      rawBody: true,
      // JSON only (below): no form parser for every request to pass through.
      bodyParser: false,
      logger: logger ? nestLevels(deps.config.LOG_LEVEL) : false,
      bufferLogs: Boolean(logger),
    },
  );
  if (logger) app.useLogger(new LeveledLogger(app.get(PinoLogger), nestLevels(deps.config.LOG_LEVEL)));
  app.disable('x-powered-by');
  // First: every later part, and what the request starts in Temporal, knows the request's id.
  app.use(requestId);
  // helmet's headers on every answer; the console's page sets its own CSP (serve-console.ts), and a
  // CSP here would break Swagger UI's inline scripts.
  app.use(helmet({ contentSecurityPolicy: false }));
  // Registered first: the general parser below skips a body this one has read.
  app.use(POST_CALL_WEBHOOK, express.json({ limit: POST_CALL_LIMIT, verify: keepRawBody }));
  app.use(CODEC, codecCors(deps.config.CODEC_UI_ORIGINS), express.json({ limit: CODEC_LIMIT }));
  app.useBodyParser('json', { limit: JSON_LIMIT });
  app.use(ASTERISK_WEBHOOKS, express.urlencoded({ extended: false, limit: ASTERISK_WEBHOOK_LIMIT }));
  app.use('/docs', bearerGate(deps.config.DOCS_TOKEN));
  app.use(bodyParserErrors);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalInterceptors(new TraceRoute());
  if (deps.config.NODE_ENV === 'test') app.useGlobalInterceptors(new ResponseContract(app.get(Reflector)));
  const document = openApiDocument(app);
  app.get(DocsRoutes).registerOnInit(() => {
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
    serveConsole(app);
  });
  return app;
}
