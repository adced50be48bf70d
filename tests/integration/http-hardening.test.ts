import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { signElevenLabs } from '../../infra/dev/simulator/webhook-signer';
import { startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

/** Issue 20, item 16: headers, the post-call webhook's own body limit, tokens on /docs and /metrics. */
describe('HTTP hardening', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('does not say what serves it, and sends the security headers', async () => {
    for (const path of ['/healthz', '/v1/campaigns', '/no-such-path']) {
      const res = await request(stack.apiUrl).get(path);
      expect(res.headers['x-powered-by'], path).toBeUndefined();
      // helmet's headers.
      expect(res.headers['x-content-type-options'], path).toBe('nosniff');
      expect(res.headers['x-frame-options'], path).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], path).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
    }
  });

  it("stores a long call's post-call webhook (3 MB of transcript) that the 1 MB limit refused", async () => {
    const conversationId = `conv_long_${Date.now()}`;
    const transcript = Array.from({ length: 6000 }, (_, i) => ({
      role: i % 2 ? 'user' : 'agent',
      message: `${'Ödemenizi hatırlatmak için arıyoruz. '.repeat(12)}${i}`,
      time_in_call_secs: i,
    }));
    const body = JSON.stringify({
      type: 'post_call_transcription',
      event_timestamp: Math.floor(Date.now() / 1000),
      data: { agent_id: 'agent_x', conversation_id: conversationId, status: 'done', transcript, metadata: {} },
    });
    expect(body.length).toBeGreaterThan(3_000_000);
    await request(stack.apiUrl)
      .post('/api/elevenlabs/webhook')
      .set({
        'content-type': 'application/json',
        'elevenlabs-signature': signElevenLabs(body, TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET, Math.floor(Date.now() / 1000)),
      })
      .send(body)
      .expect(200);
    const stored = await stack.db
      .selectFrom('webhook_inbox')
      .select('event_key')
      .where('event_key', '=', `post_call_transcription:${conversationId}`)
      .execute();
    expect(stored).toHaveLength(1);
  });

  it('asks for the tokens of /docs and /metrics when they are configured', async () => {
    const DOCS_TOKEN = 'docs-token-0123456789abcdef';
    const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
    const app = await createApiApp({ config: { ...stack.config, DOCS_TOKEN, METRICS_TOKEN }, db: stack.appDb, systemDb: stack.systemDb, temporal: stack.client }, { logger: false });
    await app.init();
    try {
      const http = () => request(app.getHttpServer());
      expect((await http().get('/docs/openapi.json')).status).toBe(401);
      expect((await http().get('/docs')).status).toBe(401);
      expect((await http().get('/docs/openapi.json').set('authorization', 'Bearer wrong-token-0123456789')).status).toBe(401);
      await http().get('/docs/openapi.json').set('authorization', `Bearer ${DOCS_TOKEN}`).expect(200);
      const refused = await http().get('/metrics').expect(401);
      expect(refused.body.code).toBe('UNAUTHORIZED');
      const metrics = await http().get('/metrics').set('authorization', `Bearer ${METRICS_TOKEN}`).expect(200);
      expect(metrics.text).toContain('outdial_webhook_inbox_depth');
    } finally {
      await app.close();
    }
    // Without tokens (the default), both stay open as before.
    await request(stack.apiUrl).get('/docs/openapi.json').expect(200);
    await request(stack.apiUrl).get('/metrics').expect(200);
  });
});
