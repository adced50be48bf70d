import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignConfigSchema } from '../../api/campaigns/campaign-config';
import { toOpenApi } from '../../api/common/validation';
import { createApiApp } from '../../api/create-app';
import { CALL_TYPES } from '../../domain/vocabulary';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

const CONFIG = {
  name: 'Contract',
  callType: 'SHIPPING_UPDATE',
  language: 'en',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  columnMapping: { phone: 'phone', name: 'name', variables: { tracking_number: 'tracking' } },
};
const CSV = 'name,phone,tracking\nAda,+905321110001,TR1\nBob,+905321110002,TR2\n';

/** The parts of an OpenAPI operation the document test reads. */
interface Operation {
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  parameters?: { in: string; name: string; schema: { type?: string } }[];
}

describe('API contract: auth, tenancy, problem+json, DNC', () => {
  let stack: TestStack;
  let a: { tenantId: string; apiKey: string };
  let b: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    stack = await startTestStack();
    a = await createTenant(stack, 'Tenant A');
    b = await createTenant(stack, 'Tenant B');
  });
  afterAll(async () => stack?.close());

  const api = () => request(stack.apiUrl);

  it('refuses missing and wrong credentials with problem+json', async () => {
    const none = await api().get('/v1/campaigns').expect(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(none.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    await api().get('/v1/campaigns').set('authorization', 'Bearer od_wrong').expect(401);
    await api().post('/v1/admin/tenants').set('authorization', `Bearer ${a.apiKey}`).send({ name: 'x' }).expect(401);
    const bad = await api()
      .post('/v1/admin/tenants')
      .set('authorization', `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`)
      .send({ name: '' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('rejects a bad config or a missing file without storing anything', async () => {
    const before = await api().get('/v1/campaigns').set('authorization', `Bearer ${a.apiKey}`).expect(200);
    const badConfig = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', JSON.stringify({ ...CONFIG, callType: 'SPAM', timezone: 'Mars/Base' }))
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(400);
    expect(badConfig.body.code).toBe('INVALID_CAMPAIGN_CONFIG');
    expect(badConfig.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['callType', 'timezone']);
    const noFile = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .expect(400);
    expect(noFile.body.code).toBe('FILE_REQUIRED');
    const notJson = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', '{nope')
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(400);
    expect(notJson.body.code).toBe('INVALID_CAMPAIGN_CONFIG');
    const neither = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', '{nope')
      .expect(400);
    expect(neither.body.code).toBe('FILE_REQUIRED');
    const after = await api().get('/v1/campaigns').set('authorization', `Bearer ${a.apiKey}`).expect(200);
    expect(after.body.items).toHaveLength(before.body.items.length);
  });

  it('refuses an LLM_LABEL_ONLY campaign where no label model is configured', async () => {
    const { LABEL_MODEL_BASE_URL: _configured, ...withoutModel } = stack.config;
    const app = await createApiApp(
      { config: withoutModel, db: stack.appDb, systemDb: stack.systemDb, temporal: stack.client },
      { logger: false },
    );
    await app.init();
    try {
      const refused = await request(app.getHttpServer())
        .post('/v1/campaigns')
        .set('authorization', `Bearer ${a.apiKey}`)
        .field('config', JSON.stringify({ ...CONFIG, classifier: 'LLM_LABEL_ONLY' }))
        .attach('file', Buffer.from(CSV), 'c.csv')
        .expect(422);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('LABEL_MODEL_NOT_CONFIGURED');
    } finally {
      await app.close();
    }
    // The stack's API has a model: the same upload is a draft there.
    await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', JSON.stringify({ ...CONFIG, classifier: 'LLM_LABEL_ONLY' }))
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(201);
  });

  it("hides one tenant's campaigns and calls from another (404, not 403)", async () => {
    const created = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(201);
    const id = created.body.id as string;
    await api().get(`/v1/campaigns/${id}`).set('authorization', `Bearer ${a.apiKey}`).expect(200);
    const foreign = await api().get(`/v1/campaigns/${id}`).set('authorization', `Bearer ${b.apiKey}`).expect(404);
    expect(foreign.body.code).toBe('NOT_FOUND');
    await api().post(`/v1/campaigns/${id}/start`).set('authorization', `Bearer ${b.apiKey}`).expect(404);
    await api().get(`/v1/campaigns/${id}/calls`).set('authorization', `Bearer ${b.apiKey}`).expect(404);
    await api().get('/v1/campaigns/not-a-uuid').set('authorization', `Bearer ${a.apiKey}`).expect(404);
    const listB = await api().get('/v1/campaigns').set('authorization', `Bearer ${b.apiKey}`).expect(200);
    expect(listB.body.items.map((c: { id: string }) => c.id)).not.toContain(id);
    // Pausing a draft is a state conflict, and nothing changes.
    const conflict = await api().post(`/v1/campaigns/${id}/pause`).set('authorization', `Bearer ${a.apiKey}`).expect(409);
    expect(conflict.body).toMatchObject({ code: 'CAMPAIGN_STATE_CONFLICT', campaignStatus: 'draft' });
    const still = await api().get(`/v1/campaigns/${id}`).set('authorization', `Bearer ${a.apiKey}`).expect(200);
    expect(still.body.status).toBe('draft');
  });

  it('keeps a per-tenant DNC list that later uploads are scrubbed against', async () => {
    const added = await api()
      .post('/v1/dnc')
      .set('authorization', `Bearer ${a.apiKey}`)
      .send({ phones: ['0532 111 00 02', '+90 532 111 00 02', 'abc'], reason: 'asked' })
      .expect(200);
    expect(added.body).toMatchObject({ added: 1, alreadyListed: 0 });
    expect(added.body.invalid).toHaveLength(1);
    const empty = await api().post('/v1/dnc').set('authorization', `Bearer ${a.apiKey}`).send({}).expect(400);
    expect(empty.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(empty.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: '' }] });
    const badCountry = await api()
      .delete('/v1/dnc/05321110002?defaultCountry=tr')
      .set('authorization', `Bearer ${a.apiKey}`)
      .expect(400);
    expect(badCountry.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'defaultCountry' }] });
    const again = await api().post('/v1/dnc').set('authorization', `Bearer ${a.apiKey}`).send({ phone: '05321110002' });
    expect(again.body).toMatchObject({ added: 0, alreadyListed: 1 });

    const listA = await api().get('/v1/dnc').set('authorization', `Bearer ${a.apiKey}`).expect(200);
    expect(listA.body.items.map((i: { phone: string }) => i.phone)).toEqual(['+905321110002']);
    const listB = await api().get('/v1/dnc').set('authorization', `Bearer ${b.apiKey}`).expect(200);
    expect(listB.body.items).toEqual([]);

    const scrubbed = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${a.apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(201);
    expect(scrubbed.body.report).toMatchObject({ total: 2, valid: 1, dnc: 1 });
    const otherTenant = await api()
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${b.apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'c.csv')
      .expect(201);
    expect(otherTenant.body.report).toMatchObject({ total: 2, valid: 2, dnc: 0 });

    const removed = await api().delete('/v1/dnc/+905321110002').set('authorization', `Bearer ${a.apiKey}`).expect(200);
    expect(removed.body).toMatchObject({ removed: 1 });
  });

  it('serves the OpenAPI document and health endpoints', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/v1/campaigns', '/v1/campaigns/{id}/calls', '/v1/calls/{callId}', '/v1/dnc']),
    );
    const upload = doc.body.paths['/v1/campaigns'].post.requestBody.content['multipart/form-data'].schema;
    expect(upload.required).toEqual(['file', 'config']);
    expect(upload.properties.config).toEqual({
      ...toOpenApi(CampaignConfigSchema),
      description: expect.stringContaining('docs/campaign-config.md'),
    });
    expect(upload.properties.config.required).toEqual(['name', 'callType']);
    expect(upload.properties.config.properties.callType.enum).toEqual([...CALL_TYPES]);
    // Every body and query parameter has a schema: none is the `{}` of an untyped `@Body()` or `@Query()`.
    const operations = Object.entries(doc.body.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );
    const bodies = operations.flatMap(({ at, operation }) =>
      Object.values(operation.requestBody?.content ?? {}).map(({ schema }) => ({ at, schema })),
    );
    expect(bodies.map(({ at }) => at)).toEqual(
      expect.arrayContaining(['post /v1/admin/tenants', 'put /v1/campaigns/{id}/mapping', 'post /v1/dnc', 'delete /v1/dnc']),
    );
    for (const { at, schema } of bodies) {
      expect(Object.keys(schema.properties ?? {}), at).not.toHaveLength(0);
    }
    const queries = operations.flatMap(({ at, operation }) =>
      (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ at: `${at}?${p.name}`, schema: p.schema })),
    );
    expect(queries.length).toBeGreaterThanOrEqual(12);
    for (const { at, schema } of queries) expect(schema.type, at).toMatch(/^(string|integer)$/);
    const callFilters = doc.body.paths['/v1/campaigns/{id}/calls'].get.parameters as {
      name: string;
      schema: { enum?: string[] };
    }[];
    expect(callFilters.find((p) => p.name === 'outcome')?.schema.enum).toEqual(
      expect.arrayContaining(['success', 'opted_out', 'dnc_blocked']),
    );
    // The docs routes come after the API's (see DocsRoutes): still served, and unknown paths still 404.
    const ui = await api().get('/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
    await api().get('/docs/swagger-ui.css').expect(200);
    const missing = await api().get('/no-such-path').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    await api().get('/healthz').expect(200);
    await api().get('/readyz').expect(200);
    const metrics = await api().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/outdial_process_resident_memory_bytes \d+/);
  });
});
