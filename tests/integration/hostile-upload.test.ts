import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankRecordsCsv, newlineCsv, unlistedEntryBomb } from '../support/hostile-files';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

const CONFIG = {
  name: 'Hostile',
  callType: 'SHIPPING_UPDATE',
  language: 'en',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
};

/**
 * Uploads from another process: a client in this one (supertest building a 20 MB multipart body)
 * would hold up the very event loop the test watches.
 */
async function uploadFromElsewhere(
  url: string,
  apiKey: string,
  file: Buffer,
  filename: string,
): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
  const dir = await mkdtemp(join(tmpdir(), 'outdial-hostile-'));
  try {
    const path = join(dir, filename);
    await writeFile(path, file);
    const script = `const [url, key, path, name, config] = process.argv.slice(1);
const form = new FormData();
form.append('config', config);
form.append('file', new Blob([require('node:fs').readFileSync(path)]), name);
fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + key }, body: form }).then(async (r) =>
  process.stdout.write(JSON.stringify({ status: r.status, contentType: r.headers.get('content-type'), body: await r.json() })));`;
    const { stdout } = await promisify(execFile)(process.execPath, [
      '-e',
      script,
      `${url}/v1/campaigns`,
      apiKey,
      path,
      filename,
      JSON.stringify(CONFIG),
    ]);
    return JSON.parse(stdout) as { status: number; contentType: string; body: Record<string, unknown> };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Asks `/healthz` over and over until `until` settles; returns the slowest answer in ms. */
async function slowestHealthz(apiUrl: string, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  let slowest = 0;
  let answers = 0;
  while (!done) {
    const started = performance.now();
    const response = await fetch(`${apiUrl}/healthz`);
    expect(response.status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    answers++;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(answers).toBeGreaterThan(0);
  return slowest;
}

describe('hostile uploads (issue #20)', () => {
  let stack: TestStack;
  let tenant: { tenantId: string; apiKey: string };

  beforeAll(async () => {
    stack = await startTestStack();
    tenant = await createTenant(stack, 'Hostile uploads');
  });
  afterAll(async () => stack?.close());

  const campaigns = async () =>
    (
      await request(stack.apiUrl)
        .get('/v1/campaigns')
        .set('authorization', `Bearer ${tenant.apiKey}`)
        .expect(200)
    ).body.items as unknown[];

  it.each([
    [
      'an xlsx whose unlisted entry inflates to 200 MB',
      'liste.xlsx',
      () => unlistedEntryBomb(200),
      400,
      'CORRUPT_FILE',
    ],
    ['a header and 5 MB of newlines', 'liste.csv', () => Promise.resolve(newlineCsv(5)), 422, 'EMPTY_SHEET'],
    [
      'a header and 19 MB of blank records',
      'liste.csv',
      () => Promise.resolve(blankRecordsCsv(19)),
      413,
      'TOO_MANY_ROWS',
    ],
  ])(
    'refuses %s with problem+json while /healthz keeps answering',
    async (_, filename, build, status, code) => {
      const file = await build();
      const before = await campaigns();
      const upload = uploadFromElsewhere(stack.apiUrl, tenant.apiKey, file, filename);
      const slowest = await slowestHealthz(stack.apiUrl, upload);
      const refused = await upload;

      expect(refused.status).toBe(status);
      expect(refused.contentType).toMatch(/application\/problem\+json/);
      expect(refused.body).toMatchObject({ status, code });
      expect(slowest).toBeLessThan(500);
      expect(await campaigns()).toHaveLength(before.length);
    },
    120_000,
  );
});
