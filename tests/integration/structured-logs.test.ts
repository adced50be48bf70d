import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../infra/logging/logger';
import { campaignConfig } from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

const NAME = 'Zeynep Kılıçaslan';
const NUMBER = '+905321234567';
const CSV = ['ad,telefon,tutar,son_odeme_tarihi', `${NAME},${NUMBER},1250 TL,2026-12-01`].join('\n');
const REQUEST_ID = 'logs-test-start-1';

type Line = Record<string, unknown> & { msg?: string; level?: string };

/** Every line the API and the workers write, as pino hands them to their destination. */
const written: string[] = [];
const capture = { write: (line: string) => void written.push(line) };

function lines(): Line[] {
  return written
    .flatMap((chunk) => chunk.split('\n').filter(Boolean))
    .map((text) => JSON.parse(text) as Line);
}

describe('structured logs: JSON lines, one request id from the API into its calls, personal data masked', () => {
  let stack: TestStack;
  let apiKey: string;
  let tenantId: string;

  beforeAll(async () => {
    stack = await startTestStack({ simulator: { scenario: 'human_yes' }, logs: capture });
    ({ apiKey, tenantId } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  it('carries the starting request id to the workflow and activity lines of the call, with its ids', async () => {
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(campaignConfig()))
      .attach('file', Buffer.from(CSV), 'contacts.csv')
      .expect(201);
    const campaignId = created.body.id as string;
    // An id the caller did not give is made and echoed.
    expect(created.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

    const started = await api
      .post(`/v1/campaigns/${campaignId}/start`)
      .set('authorization', `Bearer ${apiKey}`)
      .set('x-request-id', REQUEST_ID)
      .expect(200);
    expect(started.headers['x-request-id']).toBe(REQUEST_ID);

    const calls = await eventually(
      async () => {
        const res = await api.get(`/v1/campaigns/${campaignId}`).set('authorization', `Bearer ${apiKey}`);
        if (res.body.status !== 'completed') return undefined;
        return (await api.get(`/v1/campaigns/${campaignId}/calls`).set('authorization', `Bearer ${apiKey}`))
          .body;
      },
      60_000,
      'the campaign to complete',
    );
    const callId = calls.items[0].callId as string;
    // The last workflow lines reach the sink once the workflow task that logged them completes.
    await eventually(
      () =>
        Promise.resolve(lines().some((l) => l.msg === 'call finished' && l.callId === callId) || undefined),
      10_000,
      'the call workflow to log its end',
    );

    const all = lines();
    const apiLine = all.find(
      (l) => l.service === 'api' && l.requestId === REQUEST_ID && l.msg === 'request completed',
    );
    expect(apiLine).toMatchObject({
      level: 'info',
      req: { method: 'POST', url: `/v1/campaigns/${campaignId}/start` },
      res: { statusCode: 200 },
    });
    // Its headers (keys, cookies, signatures) are not logged at all.
    expect(apiLine?.req).not.toHaveProperty('headers');

    const ids = { requestId: REQUEST_ID, tenantId, campaignId };
    const callIds = { ...ids, callId, workflowId: `call-${callId}` };
    expect(
      all.find((l) => l.msg === 'Workflow started' && l.workflowId === `campaign-${campaignId}`),
    ).toMatchObject(ids);
    expect(all.find((l) => l.sdkComponent === 'workflow' && l.msg === 'call dialled')).toMatchObject(callIds);
    expect(all.find((l) => l.sdkComponent === 'workflow' && l.msg === 'call finished')).toMatchObject({
      ...callIds,
      status: 'completed',
    });
    const dial = all.find((l) => l.sdkComponent === 'activity' && l.msg === 'provider accepted the dial');
    expect(dial).toMatchObject({ ...callIds, activityType: 'placeCall', provider: 'elevenlabs' });
    // Shown masked, as the Temporal UI's summaries show it.
    expect(dial?.toNumber).toBe('+90 532 *** ** 67');
    expect(dial?.taskToken).toBe('[redacted]');
    // Every line of the call's workflow and activities names the call and the request, but for the
    // SDK's "Activity started", written before any interceptor sees the activity's headers.
    const callLines = all.filter((l) => l.workflowId === `call-${callId}`);
    expect(callLines.length).toBeGreaterThan(10);
    for (const line of callLines) {
      if (line.msg === 'Activity started')
        expect(line).toMatchObject({ callId, workflowId: `call-${callId}` });
      else expect(line).toMatchObject(callIds);
    }

    // Searched for by the number's digits too, whatever its formatting.
    const output = written.join('');
    expect(output).not.toContain(NUMBER.slice(1));
    expect(output).not.toContain('5321234567');
    expect(output).not.toContain(NAME);
  }, 90_000);

  it('masks a number in a message, a URL or an error, and redacts names, transcripts and secrets', () => {
    const out: string[] = [];
    const logger = createLogger({
      service: 'api',
      level: 'info',
      destination: { write: (l: string) => void out.push(l) },
    });
    logger.info(
      {
        req: {
          url: `/v1/dnc?number=${encodeURIComponent(NUMBER)}&raw=${NUMBER}`,
          headers: { authorization: 'Bearer secret-key', cookie: 's=1' },
        },
        contact: { name: NAME, phone: NUMBER },
        transcript: [{ role: 'user', message: 'Evet, öderim' }],
      },
      `dialling ${NUMBER}`,
    );
    logger.error(
      { err: new Error(`elevenlabs refused the call (400): invalid number ${NUMBER}`) },
      'dial failed',
    );
    const text = out.join('');
    expect(text).not.toContain(NUMBER.slice(1));
    expect(text).not.toContain(NAME);
    expect(text).not.toContain('Evet');
    expect(text).not.toContain('secret-key');
    const [first, second] = out.map((l) => JSON.parse(l) as Line);
    expect(first).toMatchObject({
      msg: 'dialling +90 532 *** ** 67',
      contact: { name: '[redacted]', phone: '+90 532 *** ** 67' },
      transcript: '[redacted]',
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
    });
    expect(second).toMatchObject({
      level: 'error',
      err: { message: 'elevenlabs refused the call (400): invalid number +90 532 *** ** 67' },
    });
  });
});
