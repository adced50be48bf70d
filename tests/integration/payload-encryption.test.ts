import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { EncryptionCodec } from '../../infra/config/encryption-codec';
import { payloadKeysOf } from '../../infra/config/config';
import { createDraftCampaign, startCall, type TestContact } from '../support/calls';
import { readPayload } from '../support/payloads';
import { startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';
import type { CallWorkflowInput } from '../../workflows/call.messages';
import { TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { LOG_CONTEXT_HEADER } from '../../temporal-config/log-context';

const NAME = 'Ayşe Yılmaz';
const UI_ORIGIN = 'http://127.0.0.1:8233';

/**
 * Every payload-shaped object of a history (inputs, results, signals, summaries) but the two the
 * codec never sees: search attributes, which the server indexes (ids and statuses), and the `data`
 * core writes into a local activity's marker (its sequence number, attempt, type and times).
 */
/** Header fields the log-context and OpenTelemetry interceptors write with the default converter. */
const CLEAR_HEADERS = [LOG_CONTEXT_HEADER, TRACE_HEADER];

function payloadsOf(value: unknown, found: Payload[] = []): Payload[] {
  if (Array.isArray(value)) for (const item of value) payloadsOf(item, found);
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    const object = value as Record<string, unknown>;
    if (object.metadata && typeof object.metadata === 'object' && 'data' in object) found.push(object);
    else
      for (const [key, child] of Object.entries(object)) {
        if (key === 'searchAttributes') continue;
        // Headers carry ids (the log context) and the trace context in clear, as the interceptors
        // write them; the test's first check still finds no number or name in any byte of them.
        if (key === 'fields' && CLEAR_HEADERS.some((header) => header in (child as object))) {
          const {
            [LOG_CONTEXT_HEADER]: _ids,
            [TRACE_HEADER]: _trace,
            ...rest
          } = child as Record<string, unknown>;
          payloadsOf(rest, found);
          continue;
        }
        // A patch marker's details are SDK Core's own: the patch's name (a code name, no personal data).
        if (key === 'details' && object.markerName === 'core_patch') continue;
        if (key === 'details' && 'markerName' in object)
          payloadsOf({ ...(child as object), data: undefined }, found);
        else payloadsOf(child, found);
      }
  }
  return found;
}

const encoding = (payload: Payload) => Buffer.from(payload.metadata?.encoding ?? []).toString();
const json = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value).toString('base64'),
    ]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

/** Issue 20, item 17: personal data in Temporal history only as ciphertext. */
describe('encrypted Temporal payloads', () => {
  let stack: TestStack;
  let connection: Connection;
  let history: temporal.api.history.v1.IHistory;
  let startInput: Payload;
  let phone: string;
  let refusedHistory: temporal.api.history.v1.IHistory;
  let refusedPhone: string;

  beforeAll(async () => {
    stack = await startTestStack({ simulator: { scenario: 'human_yes' } });
    const { tenantId, apiKey } = await stack.createTenant('Encrypted');
    const { campaignId, contacts } = await createDraftCampaign(stack, apiKey, [
      '0532 987 65 43',
      '0532 987 65 44',
    ]);
    phone = contacts[0]!.phone;
    refusedPhone = contacts[1]!.phone;
    const call = (contact: TestContact, scenario: string) =>
      startCall(stack, { tenantId, campaignId, contact, scenario });
    const [handle, refused] = await Promise.all([
      call(contacts[0]!, 'human_yes'),
      call(contacts[1]!, 'dial_error_4xx'),
    ]);
    // Decoded by the stack's client: the worker's result went through the same codec.
    expect(await handle.result()).toMatchObject({ status: 'completed' });
    expect(await refused.result()).toMatchObject({ status: 'failed' });
    // A client without the codec, as the Temporal server, `temporal workflow show` or a backup sees it.
    connection = await Connection.connect({ address: inject('temporalAddress') });
    const raw = new Client({ connection });
    history = await raw.workflow.getHandle(handle.workflowId).fetchHistory();
    refusedHistory = await raw.workflow.getHandle(refused.workflowId).fetchHistory();
    startInput = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0] as Payload;
  }, 90_000);
  afterAll(async () => {
    await connection?.close();
    await stack?.close();
  });

  it('keeps the number and the name out of every byte of the history', () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(phone).toBe('+905329876543');
    for (const secret of [phone, phone.slice(3), NAME]) expect(bytes.includes(secret), secret).toBe(false);
    const payloads = payloadsOf(history.events);
    expect(payloads.length).toBeGreaterThan(10);
    expect(new Set(payloads.map(encoding))).toEqual(new Set(['binary/encrypted']));
  });

  it("keeps the number out of a provider's refusal that quotes it, in the failure's encrypted attributes", async () => {
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(refusedHistory).finish());
    for (const secret of [refusedPhone, refusedPhone.slice(3)])
      expect(bytes.includes(secret), secret).toBe(false);
    const failure = refusedHistory.events!.find((e) => e.activityTaskFailedEventAttributes)!
      .activityTaskFailedEventAttributes!.failure!;
    expect(failure.message).toBe('Encoded failure');
    expect(encoding(failure.encodedAttributes as Payload)).toBe('binary/encrypted');
    const { message } = await readPayload<{ message: string }>(
      stack.client,
      failure.encodedAttributes as Payload,
    );
    expect(message).toContain(refusedPhone);
  });

  it("reads the input back through the stack client's codec", async () => {
    expect(await readPayload<CallWorkflowInput>(stack.client, startInput)).toMatchObject({
      toNumber: phone,
      name: NAME,
    });
  });

  it('reads it after a rotation that keeps the old key, and names a key it does not hold', async () => {
    const old = payloadKeysOf(stack.config)!;
    const next = randomBytes(32);
    const rotated = new EncryptionCodec({ current: 'next', byId: new Map([['next', next], ...old.byId]) });
    const [decoded] = await rotated.decode([startInput]);
    expect(defaultPayloadConverter.fromPayload<CallWorkflowInput>(decoded!).toNumber).toBe(phone);
    const dropped = new EncryptionCodec({ current: 'next', byId: new Map([['next', next]]) });
    await expect(dropped.decode([startInput])).rejects.toThrow(
      `payload encrypted under key "${old.current}", which PAYLOAD_KEYS does not hold`,
    );
  });

  describe('the codec endpoint for the Temporal UI and CLI', () => {
    it('decodes for the admin token and refuses a call without it', async () => {
      const api = request(stack.apiUrl);
      const body = { payloads: [json(startInput)] };
      const res = await api
        .post('/v1/admin/codec/decode')
        .set('authorization', `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`)
        .send(body)
        .expect(200);
      const input = JSON.parse(
        Buffer.from(res.body.payloads[0].data, 'base64').toString(),
      ) as CallWorkflowInput;
      expect(input).toMatchObject({ toNumber: phone, name: NAME });
      expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');

      await api.post('/v1/admin/codec/decode').send(body).expect(401);
      await api
        .post('/v1/admin/codec/decode')
        .set('authorization', 'Bearer not-the-admin-token')
        .send(body)
        .expect(401);
      await api.post('/v1/admin/codec/decode').set('origin', UI_ORIGIN).send(body).expect(401);
    });

    it('encodes what it decodes again, and names a key it does not hold', async () => {
      const api = request(stack.apiUrl);
      const auth = { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` };
      const plain = json(defaultPayloadConverter.toPayload({ toNumber: phone }));
      const sealed = await api
        .post('/v1/admin/codec/encode')
        .set(auth)
        .send({ payloads: [plain] })
        .expect(200);
      expect(Buffer.from(sealed.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(
        'binary/encrypted',
      );
      const opened = await api.post('/v1/admin/codec/decode').set(auth).send(sealed.body).expect(200);
      expect(opened.body).toEqual({ payloads: [plain] });

      const foreign = await new EncryptionCodec({
        current: 'gone',
        byId: new Map([['gone', randomBytes(32)]]),
      }).encode([defaultPayloadConverter.toPayload('x')]);
      const refused = await api
        .post('/v1/admin/codec/decode')
        .set(auth)
        .send({ payloads: [json(foreign[0]!)] })
        .expect(400);
      expect(refused.body).toMatchObject({
        code: 'PAYLOAD_NOT_DECRYPTABLE',
        detail: expect.stringContaining('"gone"'),
      });
    });

    it("answers the configured UI origin's page, with CORS, and no other origin", async () => {
      const app = await createApiApp(
        {
          config: { ...stack.config, CODEC_UI_ORIGINS: [UI_ORIGIN] },
          db: stack.db,
          systemDb: stack.systemDb,
          temporal: stack.client,
        },
        { logger: false },
      );
      await app.init();
      try {
        const server = app.getHttpServer();
        const preflight = await request(server)
          .options('/v1/admin/codec/decode')
          .set({
            origin: UI_ORIGIN,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type,x-namespace',
          })
          .expect(204);
        expect(preflight.headers).toMatchObject({
          'access-control-allow-origin': UI_ORIGIN,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'content-type,x-namespace',
        });
        const res = await request(server)
          .post('/v1/admin/codec/decode')
          .set({ origin: UI_ORIGIN, 'x-namespace': 'default' })
          .send({ payloads: [json(startInput)] })
          .expect(200);
        expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
        expect(Buffer.from(res.body.payloads[0].data, 'base64').toString()).toContain(phone);

        const elsewhere = 'http://127.0.0.1:9999';
        const other = await request(server)
          .options('/v1/admin/codec/decode')
          .set({ origin: elsewhere })
          .expect(204);
        expect(other.headers['access-control-allow-origin']).toBeUndefined();
        await request(server)
          .post('/v1/admin/codec/decode')
          .set({ origin: elsewhere })
          .send({ payloads: [] })
          .expect(401);
      } finally {
        await app.close();
      }
    });
  });
});
