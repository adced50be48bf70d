import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

const PER_TENANT = 5;
const PER_ADDRESS = 3;
const WINDOW_SECONDS = 60;

/** Every route a provider or a probe calls, none of them with valid credentials. */
const UNTHROTTLED = [
  ['post', '/api/elevenlabs/webhook'],
  ['post', '/api/elevenlabs/tools/flow_turn'],
  ['post', '/api/elevenlabs/conversation-init'],
  ['post', '/api/v1/webhooks/ultravox'],
  ['post', '/api/v1/webhooks/amd-result'],
  ['get', '/healthz'],
  ['get', '/readyz'],
] as const;

describe('public API rate limit', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        RATE_LIMIT_PER_TENANT: String(PER_TENANT),
        RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
        RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
      },
    });
  });
  afterAll(async () => stack?.close());

  const api = () => request(stack.apiUrl);

  function expectRateLimited(res: request.Response): void {
    expect(res.status).toBe(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 429, code: 'RATE_LIMITED', title: 'Too Many Requests' });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
    expect(res.body.retryAfterSeconds).toBe(retryAfter);
  }

  it('answers 429 with Retry-After once a tenant has spent its budget, across all its keys and routes', async () => {
    const a = await createTenant(stack, 'Busy tenant');
    const b = await createTenant(stack, 'Quiet tenant');
    const second = await api()
      .post(`/v1/admin/tenants/${a.tenantId}/api-keys`)
      .set('authorization', `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`)
      .expect(201);
    const keys = [a.apiKey, second.body.apiKey as string];
    const paths = ['/v1/campaigns', '/v1/calls', '/v1/dnc'];
    for (let i = 0; i < PER_TENANT; i++) {
      const res = await api()
        .get(paths[i % paths.length]!)
        .set('authorization', `Bearer ${keys[i % 2]}`);
      expect(res.status, `request ${i + 1}`).not.toBe(429);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(PER_TENANT - i - 1));
    }
    expectRateLimited(await api().get('/v1/campaigns').set('authorization', `Bearer ${keys[1]}`));
    expectRateLimited(await api().get('/v1/calls').set('authorization', `Bearer ${keys[0]}`));
    // Another tenant's budget is its own.
    await api().get('/v1/campaigns').set('authorization', `Bearer ${b.apiKey}`).expect(200);
  });

  it('counts requests without valid credentials by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const res = await api().get('/v1/campaigns').set('authorization', 'Bearer od_not_a_key');
      statuses.push(res.status);
      if (res.status === 429) expectRateLimited(res);
    }
    // Earlier requests of this file may have spent some of the address's budget, never more.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(PER_ADDRESS);
    expect(statuses.slice(-2)).toEqual([429, 429]);
  });

  it('never limits the providers’ webhooks or the health probes, even from an address over its limit', async () => {
    for (let i = 0; i <= PER_ADDRESS; i++) await api().get('/v1/campaigns');
    expectRateLimited(await api().get('/v1/campaigns'));
    for (let round = 0; round < 3; round++) {
      for (const [method, path] of UNTHROTTLED) {
        const res = await api()[method](path).send({});
        expect(res.status, `${method.toUpperCase()} ${path}`).not.toBe(429);
        expect(res.headers['x-ratelimit-limit'], path).toBeUndefined();
      }
    }
  });
});
