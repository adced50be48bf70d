import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule, type ApiDeps } from './app.module';
import { bodyParserErrors } from './common/body-parser-errors';
import { SESSION_COOKIE } from './auth/session-cookie';
import { ProblemFilter } from './common/problem.filter';
import { ResponseContract } from './common/responses';
import { DocsRoutes } from './docs/docs-routes';

/** Webhook bodies are small; a larger one is refused before it is read (413). */
const JSON_LIMIT = '1mb';

export async function createApiApp(deps: ApiDeps, options: { logger?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), {
    // Signatures are computed over the exact bytes received.
    rawBody: true,
    // JSON only (below): no form parser for every request to pass through.
    bodyParser: false,
    logger: options.logger === false ? false : ['warn', 'error'],
  });
  app.useBodyParser('json', { limit: JSON_LIMIT });
  app.use(bodyParserErrors);
  app.useGlobalFilters(new ProblemFilter());
  if (deps.config.NODE_ENV === 'test') app.useGlobalInterceptors(new ResponseContract(app.get(Reflector)));
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Outdial API')
      .setDescription('Outbound voice-AI call campaigns on Temporal. Errors are application/problem+json with a stable `code`.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth(SESSION_COOKIE)
      .build(),
  );
  app
    .get(DocsRoutes)
    .registerOnInit(() => SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' }));
  return app;
}
