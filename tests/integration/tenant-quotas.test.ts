import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  campaignConfig,
  contactsCsv,
  dialsTo,
  e164,
  maxOverlap,
  phoneList,
  startCampaign,
  waitForCampaign,
} from '../support/campaigns';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

describe('tenant quotas', () => {
  let stack: TestStack;

  beforeAll(async () => {
    // Calls last about a second, so live calls of two campaigns overlap.
    stack = await startTestStack({ simulator: { timing: { ringMs: 100, talkMs: 900, webhookDelayMs: 10 } } });
  });
  afterAll(async () => stack?.close());

  const api = () => request(stack.apiUrl);
  const admin = (req: request.Test) => req.set('authorization', `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`);
  const setQuotas = (tenantId: string, quotas: Record<string, unknown>) =>
    admin(api().patch(`/v1/admin/tenants/${tenantId}/quotas`)).send(quotas);

  function upload(apiKey: string, kind: 'campaign' | 'draft') {
    const csv = Buffer.from(contactsCsv(phoneList(2, '0535')));
    const req =
      kind === 'campaign'
        ? api().post('/v1/campaigns').field('config', JSON.stringify(campaignConfig()))
        : api().post('/v1/campaigns/drafts');
    return req.set('authorization', `Bearer ${apiKey}`).attach('file', csv, 'contacts.csv');
  }

  it('lets the operator read and change a tenant’s quotas', async () => {
    const { tenantId } = await createTenant(stack);
    const initial = await admin(api().get(`/v1/admin/tenants/${tenantId}/quotas`)).expect(200);
    expect(initial.body).toEqual({ maxConcurrentCalls: null, uploadsPerHour: null });
    const changed = await setQuotas(tenantId, { maxConcurrentCalls: 4 }).expect(200);
    expect(changed.body).toEqual({ maxConcurrentCalls: 4, uploadsPerHour: null });
    const both = await setQuotas(tenantId, { uploadsPerHour: 10, maxConcurrentCalls: null }).expect(200);
    expect(both.body).toEqual({ maxConcurrentCalls: null, uploadsPerHour: 10 });
    const invalid = await setQuotas(tenantId, { maxConcurrentCalls: 0 }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    await setQuotas('00000000-0000-4000-8000-000000000000', { uploadsPerHour: 1 }).expect(404);
    const { apiKey } = await createTenant(stack);
    await api()
      .patch(`/v1/admin/tenants/${tenantId}/quotas`)
      .set('authorization', `Bearer ${apiKey}`)
      .send({})
      .expect(401);
  });

  it('answers 429 UPLOAD_QUOTA_EXCEEDED with Retry-After once the hourly uploads are spent, campaigns and drafts alike', async () => {
    const a = await createTenant(stack);
    const b = await createTenant(stack);
    await setQuotas(a.tenantId, { uploadsPerHour: 2 }).expect(200);
    await upload(a.apiKey, 'campaign').expect(201);
    await upload(a.apiKey, 'draft').expect(201);
    for (const kind of ['campaign', 'draft'] as const) {
      const refused = await upload(a.apiKey, kind).expect(429);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'UPLOAD_QUOTA_EXCEEDED', uploadsPerHour: 2 });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.body.retryAfterSeconds).toBe(retryAfter);
    }
    const campaigns = await api().get('/v1/campaigns').set('authorization', `Bearer ${a.apiKey}`).expect(200);
    expect(campaigns.body.items).toHaveLength(2);
    // Another tenant's quota is its own; a lifted quota lets the tenant upload again.
    await upload(b.apiKey, 'campaign').expect(201);
    await setQuotas(a.tenantId, { uploadsPerHour: null }).expect(200);
    await upload(a.apiKey, 'draft').expect(201);
  });

  it('never has more live calls across a tenant’s campaigns than its concurrent-call limit', async () => {
    const { tenantId, apiKey } = await createTenant(stack);
    await setQuotas(tenantId, { maxConcurrentCalls: 2 }).expect(200);
    const first = phoneList(5, '0536');
    const second = phoneList(5, '0537');
    // Each campaign alone would hold four calls at once.
    const config = campaignConfig({ maxConcurrentCalls: 4, callsPerSecond: 50 });
    const ids = await Promise.all([
      startCampaign(stack, apiKey, first, { ...config, name: 'First' }),
      startCampaign(stack, apiKey, second, { ...config, name: 'Second' }),
    ]);
    for (const id of ids) {
      const done = await waitForCampaign(stack, apiKey, id, 'completed', 120_000);
      expect(done.counts.byStatus).toEqual({ completed: 5 });
    }
    const dials = dialsTo(stack, [...first, ...second].map(e164));
    expect(dials).toHaveLength(10);
    expect(stack.sim.maxConcurrentCalls()).toBeLessThanOrEqual(2);
    // The limit was reached, so the assertion above measured something.
    expect(maxOverlap(dials)).toBe(2);
  }, 180_000);
});
