import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

describe('API keys: rotated and revoked, the old key refused at once (issue 20, item 8)', () => {
  let stack: TestStack;
  let tenant: { tenantId: string; apiKey: string };
  const api = () => request(stack.apiUrl);
  const as = (key: string) => `Bearer ${key}`;
  const works = async (key: string) => (await api().get('/v1/campaigns').set('authorization', as(key))).status;

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await createTenant(stack, 'Keys');
  });
  afterAll(async () => stack?.close());

  it('lets a tenant admin add a key, rotate the one in use and revoke another', async () => {
    const listed = await api().get('/v1/api-keys').set('authorization', as(tenant.apiKey)).expect(200);
    expect(listed.body.items).toEqual([
      { id: expect.any(String), prefix: tenant.apiKey.slice(0, 8), createdAt: expect.any(String), revokedAt: null },
    ]);
    const first = listed.body.items[0].id as string;

    const added = await api().post('/v1/api-keys').set('authorization', as(tenant.apiKey)).expect(201);
    expect(added.body.apiKey).toMatch(/^od_/);
    expect(await works(added.body.apiKey)).toBe(200);

    const rotated = await api().post(`/v1/api-keys/${first}/rotate`).set('authorization', as(tenant.apiKey)).expect(201);
    expect(await works(tenant.apiKey)).toBe(401);
    expect(await works(rotated.body.apiKey)).toBe(200);

    await api().delete(`/v1/api-keys/${added.body.id}`).set('authorization', as(rotated.body.apiKey)).expect(204);
    expect(await works(added.body.apiKey)).toBe(401);

    const after = await api().get('/v1/api-keys').set('authorization', as(rotated.body.apiKey)).expect(200);
    const revoked = (after.body.items as { id: string; revokedAt: string | null }[]).filter((key) => key.revokedAt !== null);
    expect(revoked.map((key) => key.id).sort()).toEqual([first, added.body.id].sort());
  });

  it("lets the operator revoke a tenant's leaked key and refuses another tenant's key ids", async () => {
    const other = await createTenant(stack, 'Other keys');
    const admin = as(TEST_SECRETS.ADMIN_TOKEN);
    const keys = await api().get(`/v1/admin/tenants/${other.tenantId}/api-keys`).set('authorization', admin).expect(200);
    const leaked = keys.body.items[0].id as string;

    // A tenant cannot touch another tenant's key, even by its id.
    const { apiKey: own } = await createTenant(stack, 'Third keys');
    const refused = await api().delete(`/v1/api-keys/${leaked}`).set('authorization', as(own)).expect(404);
    expect(refused.body.code).toBe('NOT_FOUND');
    expect(await works(other.apiKey)).toBe(200);

    await api().delete(`/v1/admin/tenants/${other.tenantId}/api-keys/${leaked}`).set('authorization', admin).expect(204);
    expect(await works(other.apiKey)).toBe(401);
    await api().delete(`/v1/admin/tenants/${other.tenantId}/api-keys/not-a-key`).set('authorization', admin).expect(404);
  });
});
