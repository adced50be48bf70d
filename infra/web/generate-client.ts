import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { Client } from '@temporalio/client';
import openapiTS, { astToString } from 'openapi-typescript';
import { AppModule } from '../../api/app.module';
import { openApiDocument } from '../../api/docs/openapi-document';
import { parseConfig } from '../config/config';
import { createDatabase } from '../../schema/database';

type Document = ReturnType<typeof openApiDocument>;

/**
 * Nest documents a path parameter only when a decorator names it; every `{name}` in a path is
 * declared here, so the typed client requires it.
 */
function withPathParameters(document: Document): Document {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    for (const operation of Object.values(item) as { parameters?: { name: string; in: string }[] }[]) {
      if (typeof operation !== 'object' || operation === null || !('responses' in operation)) continue;
      const parameters = (operation.parameters ??= []);
      for (const name of names) {
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) {
          parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } } as never);
        }
      }
    }
  }
  return document;
}

/**
 * The API's OpenAPI document and the TypeScript types the console's client is checked against,
 * written to web/generated. The app is built, never started: the database pool and the Temporal
 * connection are lazy and nothing here queries them.
 */
export async function generateClient(root: string): Promise<void> {
  const config = parseConfig({ ADMIN_TOKEN: 'x'.repeat(32), ELEVENLABS_WEBHOOK_SECRET: 'unused-secret', ELEVENLABS_TOOL_SECRET: 'unused-secret' });
  const db = createDatabase('postgres://127.0.0.1:1/unused');
  const app = await NestFactory.create(AppModule.register({ config, db, systemDb: db, temporal: new Client() }), { logger: false });
  try {
    const document = withPathParameters(openApiDocument(app));
    const types = astToString(await openapiTS(document as never));
    const out = join(root, 'web', 'generated');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
    await writeFile(join(out, 'schema.d.ts'), `// Generated from the API's OpenAPI document by infra/web/generate-client.ts. Do not edit.\n${types}`);
  } finally {
    await app.close();
    await db.destroy();
  }
}
