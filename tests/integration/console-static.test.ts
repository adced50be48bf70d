import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';

describe('the console served by the API', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => stack?.close());

  it('serves the page at / and at every client-side path, with a content security policy', async () => {
    for (const path of ['/', '/campaigns/123', '/calls?status=busy']) {
      const page = await request(stack.apiUrl).get(path).set('accept', 'text/html').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<div id="root"></div>');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    }
  });

  it('caches the hashed assets for good', async () => {
    const page = await request(stack.apiUrl).get('/').set('accept', 'text/html').expect(200);
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await request(stack.apiUrl).get(script!).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await request(stack.apiUrl).get('/assets/missing.js').expect(404);
  });

  it('leaves the API its own answers: JSON problems under /v1, never the page', async () => {
    const missing = await request(stack.apiUrl).get('/v1/nothing-here').set('accept', 'text/html,*/*').expect(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(stack.apiUrl).get('/healthz').set('accept', 'text/html').expect(200).expect('content-type', /json/);
  });
});
