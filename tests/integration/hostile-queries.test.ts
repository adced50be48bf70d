import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

/** Query strings and config values a client gets wrong, or sends on purpose (issue 20, item 15). */
describe('hostile query strings and config values: a 400 naming the field, never a 500 or a silent default', () => {
  let stack: TestStack;
  let auth: string;

  beforeAll(async () => {
    stack = await startTestStack();
    auth = `Bearer ${(await createTenant(stack, 'Queries')).apiKey}`;
  });
  afterAll(async () => stack?.close());

  it.each([
    ['/v1/calls?status=queued&status=failed', 'status'],
    ['/v1/calls?status=nonsense', 'status'],
    ['/v1/calls?limit=abc', 'limit'],
    ['/v1/calls?limit=0', 'limit'],
    ['/v1/dnc?cursor=a&cursor=b', 'cursor'],
    ['/v1/dnc?limit=abc', 'limit'],
    ['/v1/webhook-inbox?status=nonsense', 'status'],
    ['/v1/webhook-inbox?before=-1', 'before'],
  ])('GET %s → 400 on %s', async (path, field) => {
    const res = await request(stack.apiUrl).get(path).set('authorization', auth).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it('refuses a country that does not exist in a DNC request and in a campaign config', async () => {
    const dnc = await request(stack.apiUrl)
      .post('/v1/dnc')
      .set('authorization', auth)
      .send({ phone: '0532 123 45 67', defaultCountry: 'ZZ' })
      .expect(400);
    expect(dnc.body.errors.map((error: { path: string }) => error.path)).toContain('defaultCountry');
    const campaign = await request(stack.apiUrl)
      .post('/v1/campaigns')
      .set('authorization', auth)
      .field('config', JSON.stringify({ name: 'x', callType: 'BILLING_REMINDER', defaultCountry: 'ZZ' }))
      .attach('file', Buffer.from('telefon\n05321234567\n'), 'x.csv')
      .expect(400);
    expect(campaign.body.code).toBe('INVALID_CAMPAIGN_CONFIG');
    expect(campaign.body.errors.map((error: { path: string }) => error.path)).toContain('defaultCountry');
  });
});
