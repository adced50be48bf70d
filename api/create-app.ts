import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule, type ApiDeps } from './app.module';
import { bodyParserErrors } from './common/body-parser-errors';
import { ProblemFilter } from './common/problem.filter';
import { ResponseContract } from './common/responses';
import { serveConsole } from './console/serve-console';
import { DocsRoutes } from './docs/docs-routes';
import { openApiDocument } from './docs/openapi-document';

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
  const document = openApiDocument(app);
  app
    .get(DocsRoutes)
    .registerOnInit(() => {
      SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
      serveConsole(app);
    });
  return app;
}
