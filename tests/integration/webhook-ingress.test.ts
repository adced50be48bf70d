import { createHmac, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInboxEvents, type NewInboxEvent } from '../../schema/repositories/inbox.repository';
import { createApiApp } from '../../api/create-app';
import { callMatchOf } from '../../api/webhooks/call-resolution';
import { unmatched } from '../../api/webhooks/inbox-delivery';
import { dialplanWebhookBody } from '../../infra/dev/simulator/dialplan';
import { signElevenLabs, signUltravox } from '../../infra/dev/simulator/webhook-signer';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { scenarioContacts, scenarioRule } from '../support/scenario-campaign';
import { createTenant, eventually, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

const ROTATED_SECRET = 'rotated-ultravox-secret';
const TOKEN = TEST_SECRETS.ASTERISK_WEBHOOK_TOKEN;
/** Two calls that stay live: the simulator drops their final webhooks. */
const SCENARIOS: ScenarioName[] = ['human_yes', 'human_yes'];

function ultravoxEvent(event: string, callId: string = randomUUID(), outdialCallId: string = randomUUID()) {
  return JSON.stringify({
    event,
    call: { callId, created: new Date().toISOString(), metadata: { call_id: outdialCallId } },
  });
}

function elevenLabsFailure(conversationId: string, callId?: string, type = 'call_initiation_failure') {
  const body = JSON.stringify({
    type,
    event_timestamp: Math.floor(Date.now() / 1000),
    data: {
      agent_id: 'agent_x',
      conversation_id: conversationId,
      failure_reason: 'busy',
      metadata: {},
      ...(callId ? { conversation_initiation_client_data: { dynamic_variables: { call_id: callId } } } : {}),
    },
  });
  const headers = {
    'content-type': 'application/json',
    'elevenlabs-signature': signElevenLabs(
      body,
      TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET,
      Math.floor(Date.now() / 1000),
    ),
  };
  return { body, headers };
}

function signed(
  body: string,
  secret = TEST_SECRETS.ULTRAVOX_WEBHOOK_SECRET,
  timestamp = new Date().toISOString(),
) {
  return {
    'content-type': 'application/json',
    'x-ultravox-webhook-timestamp': timestamp,
    'x-ultravox-webhook-signature': signUltravox(body, secret, timestamp),
  };
}

describe('webhook ingress', () => {
  let stack: TestStack;
  let apiKey: string;
  let restarted: INestApplication | undefined;

  const inboxCount = async () =>
    Number(
      (
        await stack.db
          .selectFrom('webhook_inbox')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rowsFor = (eventKey: string) =>
    stack.db.selectFrom('webhook_inbox').selectAll().where('event_key', '=', eventKey).execute();

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: { scenario: scenarioRule(SCENARIOS), adversarial: { dropFinalWebhook: true } },
      env: { ULTRAVOX_WEBHOOK_SECRET: `${TEST_SECRETS.ULTRAVOX_WEBHOOK_SECRET}, ${ROTATED_SECRET}` },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => {
    await restarted?.close();
    await stack?.close();
  });

  it('stores a signed Ultravox event once; the same event again is a 2xx no-op', async () => {
    const uvId = randomUUID();
    const body = ultravoxEvent('call.started', uvId);
    const api = request(stack.apiUrl);
    const first = await api.post('/api/v1/webhooks/ultravox').set(signed(body)).send(body).expect(200);
    expect(first.body).toEqual({ received: true, duplicate: false });
    const second = await api.post('/api/v1/webhooks/ultravox').set(signed(body)).send(body).expect(200);
    expect(second.body).toEqual({ received: true, duplicate: true });
    expect(await rowsFor(`call.started:${uvId}`)).toHaveLength(1);
  });

  it('answers copies of one event sent at once: one stored, every other copy a duplicate', async () => {
    const body = ultravoxEvent('call.started');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(stack.apiUrl).post('/api/v1/webhooks/ultravox').set(signed(body)).send(body).expect(200),
      ),
    );
    expect(answers.filter((res) => res.body.duplicate === false)).toHaveLength(1);
    const { call } = JSON.parse(body) as { call: { callId: string } };
    expect(await rowsFor(`call.started:${call.callId}`)).toHaveLength(1);
  });

  it('stores a batch with a repeated key once and answers each entry: new id or duplicate', async () => {
    const entry = (eventKey: string): NewInboxEvent => ({
      provider: 'ultravox',
      eventKey,
      eventType: 'call.started',
      callId: null,
      payload: { event: 'call.started' },
      match: { providerCallId: null, anyProvider: false, phone: null },
      ifUnmatched: { status: 'orphaned', reason: 'nothing to match' },
    });
    const [earlier] = await storeInboxEvents(stack.db, [entry(`batch-earlier-${randomUUID()}`)]);
    const earlierKey = (
      await stack.db
        .selectFrom('webhook_inbox')
        .select('event_key')
        .where('id', '=', earlier!.id)
        .executeTakeFirstOrThrow()
    ).event_key;
    const repeated = `batch-repeated-${randomUUID()}`;
    const ids = await storeInboxEvents(stack.db, [
      entry(repeated),
      entry(`batch-single-${randomUUID()}`),
      entry(repeated),
      entry(earlierKey),
    ]);
    const orphanedAtOnce = { id: expect.any(Number), callId: null, status: 'orphaned' };
    expect(ids.slice(0, 2)).toEqual([orphanedAtOnce, orphanedAtOnce]);
    expect(ids.slice(2)).toEqual([undefined, undefined]);
    expect(await rowsFor(repeated)).toHaveLength(1);
  });

  it('stores the payload as received: digits JSON.parse would round, after a byte-order mark', async () => {
    const conversationId = `conv_${randomUUID()}`;
    const json = `{"type":"post_call_audio","event_timestamp":${Math.floor(Date.now() / 1000)},"data":{"conversation_id":"${conversationId}","full_audio":"","cost":12345678901234567890}}`;
    const body = `\ufeff${json}`;
    await request(stack.apiUrl)
      .post('/api/elevenlabs/webhook')
      .set({
        'content-type': 'application/json; charset=utf-8',
        'elevenlabs-signature': signElevenLabs(
          body,
          TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET,
          Math.floor(Date.now() / 1000),
        ),
      })
      .send(body)
      .expect(200, { received: true, duplicate: false });
    const [row] = await stack.db
      .selectFrom('webhook_inbox')
      .select(sql<string>`payload #>> '{data,cost}'`.as('cost'))
      .where('event_key', '=', `post_call_audio:${conversationId}`)
      .execute();
    expect(row?.cost).toBe('12345678901234567890');
  });

  it('accepts a webhook signed with the second secret of a rotation', async () => {
    const uvId = randomUUID();
    const body = ultravoxEvent('call.joined', uvId);
    await request(stack.apiUrl)
      .post('/api/v1/webhooks/ultravox')
      .set(signed(body, ROTATED_SECRET))
      .send(body)
      .expect(200);
    expect(await rowsFor(`call.joined:${uvId}`)).toHaveLength(1);
  });

  it.each([
    ['a wrong secret', (body: string) => ({ body, headers: signed(body, 'not-the-secret-at-all') })],
    [
      'a stale timestamp',
      (body: string) => ({
        body,
        headers: signed(body, undefined, new Date(Date.now() - 3_600_000).toISOString()),
      }),
    ],
    [
      'a tampered body',
      (body: string) => ({ body: body.replace('call.started', 'call.ended'), headers: signed(body) }),
    ],
    ['no signature', (body: string) => ({ body, headers: { 'content-type': 'application/json' } })],
  ])('refuses an Ultravox webhook with %s: 401, nothing stored', async (_name, build) => {
    const before = await inboxCount();
    const { body, headers } = build(ultravoxEvent('call.started'));
    const res = await request(stack.apiUrl)
      .post('/api/v1/webhooks/ultravox')
      .set(headers)
      .send(body)
      .expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, code: 'INVALID_SIGNATURE' });
    expect(await inboxCount()).toBe(before);
  });

  /** Signed here as ElevenLabs signs, not by the API's code: HMAC-SHA256 of "<t>.<body>" in `t=..,v0=..`. */
  const signedAsElevenLabs = (body: string, secret: string, skewSecs = 0) => {
    const t = Math.floor(Date.now() / 1000) + skewSecs;
    const v0 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    return { 'content-type': 'application/json', 'elevenlabs-signature': `t=${t},v0=${v0}` };
  };

  it('accepts an ElevenLabs webhook signed with the secret 29 minutes ago', async () => {
    const conversationId = `conv_${randomUUID()}`;
    const { body } = elevenLabsFailure(conversationId);
    await request(stack.apiUrl)
      .post('/api/elevenlabs/webhook')
      .set(signedAsElevenLabs(body, TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET, -29 * 60))
      .send(body)
      .expect(200, { received: true, duplicate: false });
    expect(await rowsFor(`call_initiation_failure:${conversationId}`)).toHaveLength(1);
  });

  it.each([
    ['a wrong secret', 'not-the-secret-at-all', 0, false],
    ['a timestamp 31 minutes old', TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET, -31 * 60, false],
    ['a timestamp 31 minutes ahead', TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET, 31 * 60, false],
    ['a tampered body', TEST_SECRETS.ELEVENLABS_WEBHOOK_SECRET, 0, true],
  ] as const)(
    'refuses an ElevenLabs webhook with %s: 401 problem+json, nothing stored',
    async (_name, secret, skewSecs, tamper) => {
      const before = await inboxCount();
      const { body } = elevenLabsFailure(`conv_${randomUUID()}`);
      const res = await request(stack.apiUrl)
        .post('/api/elevenlabs/webhook')
        .set(signedAsElevenLabs(body, secret, skewSecs))
        .send(tamper ? body.replace('"busy"', '"no-answer"') : body)
        .expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 401, code: 'INVALID_SIGNATURE' });
      expect(await inboxCount()).toBe(before);
    },
  );

  it('refuses an ElevenLabs webhook without a signature: 401, nothing stored', async () => {
    const before = await inboxCount();
    const { body } = elevenLabsFailure(`conv_${randomUUID()}`);
    const res = await request(stack.apiUrl)
      .post('/api/elevenlabs/webhook')
      .set('content-type', 'application/json')
      .send(body)
      .expect(401);
    expect(res.body).toMatchObject({ status: 401, code: 'INVALID_SIGNATURE' });
    expect(await inboxCount()).toBe(before);
  });

  it.each([
    ['/api/v1/webhooks/amd-result', { 'x-webhook-token': 'wrong-token-value' }],
    ['/api/v1/webhooks/call-failed', {}],
    ['/api/v1/webhooks/call-transferred', {}],
  ])('refuses %s without the right token: 401, nothing stored', async (path, headers) => {
    const before = await inboxCount();
    const res = await request(stack.apiUrl)
      .post(path)
      .set(headers)
      .send({ uuid: randomUUID(), status: 'MACHINE', cause: 'X' })
      .expect(401);
    expect(res.body).toMatchObject({ code: 'INVALID_SIGNATURE' });
    expect(await inboxCount()).toBe(before);
  });

  it.each([
    ['/api/v1/webhooks/amd-result', { uuid: randomUUID(), status: 'ROBOT' }],
    ['/api/v1/webhooks/amd-result', { status: 'MACHINE' }],
    ['/api/v1/webhooks/call-failed', { status: 'BUSY' }],
    ['/api/v1/webhooks/call-transferred', { phone: '+905321234567' }],
    ['/api/v1/webhooks/call-transferred', { target: '+905551112233' }],
    ['/api/v1/webhooks/call-transferred', { phone: '+905321234567', target: 'sales' }],
  ])('answers a malformed payload on %s with 400 MALFORMED_WEBHOOK', async (path, body) => {
    const before = await inboxCount();
    const res = await request(stack.apiUrl).post(path).set('x-webhook-token', TOKEN).send(body).expect(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_WEBHOOK' });
    expect(await inboxCount()).toBe(before);
  });

  it('takes the form bodies the dialplan posts; a retried post is a duplicate, a malformed form a 400', async () => {
    const before = await inboxCount();
    const { path, body } = dialplanWebhookBody('outdial-dial', {
      VOICEAI_UUID: randomUUID(),
      DIALSTATUS: 'BUSY',
      HANGUPCAUSE: '17',
    });
    const post = (form: string) =>
      request(stack.apiUrl)
        .post(path)
        .set({ 'x-webhook-token': TOKEN, 'content-type': 'application/x-www-form-urlencoded' })
        .send(form);
    expect((await post(body).expect(200)).body).toEqual({ received: true, duplicate: false });
    // The dialplan tries again when an answer is lost: the inbox keeps one event.
    expect((await post(body).expect(200)).body).toEqual({ received: true, duplicate: true });
    expect(await inboxCount()).toBe(before + 1);
    const malformed = await post(body.replace(/status=[A-Z]+/, 'status=')).expect(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_WEBHOOK' });
    const oversized = await post(`${body}&padding=${'x'.repeat(20_000)}`).expect(413);
    expect(oversized.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await inboxCount()).toBe(before + 1);
  });

  it('answers a signed Ultravox body that is not a call event with 400 MALFORMED_WEBHOOK', async () => {
    const body = JSON.stringify({ event: 'call.unknown', call: {} });
    const res = await request(stack.apiUrl)
      .post('/api/v1/webhooks/ultravox')
      .set(signed(body))
      .send(body)
      .expect(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_WEBHOOK' });
  });

  it.each(['/api/v1/webhooks/ultravox', '/api/v1/webhooks/amd-result', '/api/elevenlabs/webhook'])(
    'refuses malformed JSON (400) and an oversized body (413) on %s as problem+json, storing nothing',
    async (path) => {
      const before = await inboxCount();
      const broken = '{"event":"call.started",';
      const bad = await request(stack.apiUrl)
        .post(path)
        .set({ ...signed(broken), 'x-webhook-token': TOKEN })
        .send(broken)
        .expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(bad.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
      // The post-call webhook takes a long call's transcript (25 MB); the others 1 MB.
      const limit = path === '/api/elevenlabs/webhook' ? 25 * 1024 * 1024 : 1024 * 1024;
      const huge = JSON.stringify({ event: 'call.started', padding: 'x'.repeat(limit + 100_000) });
      const big = await request(stack.apiUrl)
        .post(path)
        .set({
          ...signed(huge),
          'x-webhook-token': TOKEN,
          'elevenlabs-signature': signElevenLabs(huge, 'x', 1),
        })
        .send(huge)
        .expect(413);
      expect(big.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(await inboxCount()).toBe(before);
    },
  );

  describe('with live Ultravox calls', () => {
    let calls: { callId: string; toNumber: string; providerCallId: string }[];
    let campaignId: string;

    beforeAll(async () => {
      const contacts = scenarioContacts(SCENARIOS);
      const csv = [
        'ad,telefon,tutar,son_odeme_tarihi',
        ...contacts.map((c, i) => `Kişi ${i},${c.local},10 TL,2026-12-01`),
      ].join('\n');
      const config = {
        name: 'ingress',
        callType: 'BILLING_REMINDER',
        provider: 'ultravox',
        callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
        maxConcurrentCalls: 2,
        callsPerSecond: 10,
        retry: { maxAttempts: 1 },
        amd: { enabled: true, graceSeconds: 1 },
        // Long enough that the calls are still waiting for their end when the test talks to them.
        timing: { ringingTimeoutSeconds: 5, maxCallSeconds: 600 },
        columnMapping: {
          phone: 'telefon',
          name: 'ad',
          variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
        },
      };
      const api = request(stack.apiUrl);
      const created = await api
        .post('/v1/campaigns')
        .set('authorization', `Bearer ${apiKey}`)
        .field('config', JSON.stringify(config))
        .attach('file', Buffer.from(csv), 'contacts.csv')
        .expect(201);
      expect(created.body.report.valid).toBe(2);
      campaignId = created.body.id as string;
      await api
        .post(`/v1/campaigns/${campaignId}/start`)
        .set('authorization', `Bearer ${apiKey}`)
        .expect(200);
      calls = await eventually(async () => {
        const res = await api
          .get(`/v1/campaigns/${campaignId}/calls`)
          .set('authorization', `Bearer ${apiKey}`);
        const items = res.body.items as { callId: string; toNumber: string; providerCallId: string | null }[];
        return items.length === 2 && items.every((c) => c.providerCallId)
          ? (items as typeof calls)
          : undefined;
      });
      await stack.sim.waitForIdle();
    }, 60_000);

    const callRecord = async (callId: string) =>
      (await request(stack.apiUrl).get(`/v1/calls/${callId}`).set('authorization', `Bearer ${apiKey}`)).body;

    it('finds an Ultravox leg by the phone alone for an Asterisk AMD result', async () => {
      const target = calls.find((c) => c.toNumber.endsWith('1'))!;
      const res = await request(stack.apiUrl)
        .post('/api/v1/webhooks/amd-result')
        .set('x-webhook-token', TOKEN)
        .send({
          phone: `00${target.toNumber.slice(1)}`,
          status: 'MACHINE',
          cause: 'MAXWORDS-6-5',
          source: 'ultravox',
        })
        .expect(200);
      expect(res.body).toEqual({ received: true, duplicate: false });
      const record = await eventually(async () => {
        const call = await callRecord(target.callId);
        return call.outcome ? call : undefined;
      });
      expect(record).toMatchObject({ status: 'completed', outcome: 'voicemail', amdStatus: 'MACHINE' });
      // Tied to the attempt when stored, so a retry's AMD with the same verdict is not a duplicate.
      // Its delivered mark is written shortly after the signal.
      const row = await eventually(async () => {
        const [stored] = await stack.db
          .selectFrom('webhook_inbox')
          .selectAll()
          .where('event_key', '=', `amd:00${target.toNumber.slice(1)}:MACHINE:MAXWORDS-6-5:${target.callId}`)
          .execute();
        return stored?.status === 'pending' ? undefined : stored;
      });
      expect(row).toMatchObject({ call_id: target.callId, status: 'delivered' });
      expect(row.delivered_at!.getTime()).toBeGreaterThanOrEqual(row.received_at.getTime());
    });

    /** Another attempt of a live call's contact, as the workflow would record it, with no workflow of its own yet. */
    const addAttempt = async (attempt: number, providerCallId: string | null) => {
      const sibling = await stack.db
        .selectFrom('call_attempts')
        .selectAll()
        .where('id', '=', calls[0]!.callId)
        .executeTakeFirstOrThrow();
      const callId = randomUUID();
      await stack.db
        .insertInto('call_attempts')
        .values({
          id: callId,
          tenant_id: sibling.tenant_id,
          campaign_id: sibling.campaign_id,
          contact_id: sibling.contact_id,
          attempt,
          to_number: sibling.to_number,
          provider: 'elevenlabs',
          provider_call_id: providerCallId,
          workflow_id: callWorkflowId(callId),
        })
        .execute();
      return callId;
    };

    it('keeps an event for a call whose workflow has finished, orphaned with the reason', async () => {
      const callId = await addAttempt(98, null);
      // Never polled by a worker; ended the way an operator ends a stuck call.
      const handle = await stack.client.workflow.start('callWorkflow', {
        workflowId: callWorkflowId(callId),
        taskQueue: 'webhook-ingress-idle',
        args: [],
      });
      await handle.terminate('ended for the test');
      const conversationId = `conv_${randomUUID()}`;
      const { body, headers } = elevenLabsFailure(conversationId, callId);
      await request(stack.apiUrl).post('/api/elevenlabs/webhook').set(headers).send(body).expect(200);
      const row = await eventually(async () => {
        const [stored] = await rowsFor(`call_initiation_failure:${conversationId}`);
        return stored?.status === 'pending' ? undefined : stored;
      });
      expect(row).toMatchObject({
        status: 'orphaned',
        reason: 'the call workflow is not running',
        attempts: 1,
      });
    });

    it('looks again soon for the call of an event that overtook the provider call id, then finds it', async () => {
      const conversationId = `conv_${randomUUID()}`;
      const { body, headers } = elevenLabsFailure(conversationId);
      await request(stack.apiUrl).post('/api/elevenlabs/webhook').set(headers).send(body).expect(200);
      const eventKey = `call_initiation_failure:${conversationId}`;
      const waiting = await eventually(async () => {
        const [stored] = await rowsFor(eventKey);
        return stored && stored.attempts >= 2 ? stored : undefined;
      }, 2000);
      expect(waiting).toMatchObject({ status: 'pending', reason: 'no call attempt matches this event' });

      // The attempt names the conversation only now. It has no workflow, so the delivery attempt
      // that finds it leaves the event orphaned for that reason instead: proof that it was found.
      await addAttempt(99, conversationId);
      const found = await eventually(async () => {
        const [stored] = await rowsFor(eventKey);
        return stored?.status === 'orphaned' ? stored : undefined;
      }, 3000);
      expect(found.reason).toBe('the call workflow is not running');
    });

    it('leaves a post-call event that matches no call orphaned at the first look', async () => {
      // The workspace-wide post-call webhook also reports conversations Outdial did not place.
      const conversationId = `conv_${randomUUID()}`;
      const { body, headers } = elevenLabsFailure(conversationId, undefined, 'post_call_transcription');
      await request(stack.apiUrl).post('/api/elevenlabs/webhook').set(headers).send(body).expect(200);
      const orphaned = await eventually(async () => {
        const [stored] = await rowsFor(`post_call_transcription:${conversationId}`);
        return stored?.status === 'orphaned' ? stored : undefined;
      }, 2000);
      expect(orphaned).toMatchObject({ reason: 'no call attempt matches this event', attempts: 1 });
    });

    it('shows operators the orphaned events with their reasons, newest first, and each with its payload', async () => {
      const conversationIds = [`conv_${randomUUID()}`, `conv_${randomUUID()}`];
      for (const conversationId of conversationIds) {
        const { body, headers } = elevenLabsFailure(conversationId, undefined, 'post_call_transcription');
        await request(stack.apiUrl).post('/api/elevenlabs/webhook').set(headers).send(body).expect(200);
      }
      const admin = { authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}` };
      const list = async (query: string) =>
        (await request(stack.apiUrl).get(`/v1/admin/webhook-inbox?${query}`).set(admin).expect(200)).body as {
          items: {
            id: number;
            eventKey: string;
            status: string;
            reason: string | null;
            callId: string | null;
          }[];
          nextBefore: number | null;
        };
      // Other test files share the database: find ours among the newest orphaned events.
      const keys = conversationIds.map((id) => `post_call_transcription:${id}`);
      const { items } = await list('status=orphaned&provider=elevenlabs&limit=500');
      const ours = items.filter((item) => keys.includes(item.eventKey));
      expect(ours.map((item) => item.eventKey)).toEqual([keys[1], keys[0]]);
      expect(ours[0]).toMatchObject({
        status: 'orphaned',
        reason: 'no call attempt matches this event',
        callId: null,
      });

      const page = await list('status=orphaned&limit=2');
      expect(page.items).toHaveLength(2);
      expect(page.items[0]!.id).toBeGreaterThan(page.items[1]!.id);
      expect(page.nextBefore).toBe(page.items[1]!.id);
      const next = await list(`status=orphaned&before=${page.nextBefore}&limit=1`);
      expect(next.items[0]!.id).toBeLessThan(page.nextBefore!);

      const one = await request(stack.apiUrl)
        .get(`/v1/admin/webhook-inbox/${ours[0]!.id}`)
        .set(admin)
        .expect(200);
      expect(one.body.payload.data.conversation_id).toBe(conversationIds[1]);

      await request(stack.apiUrl).get('/v1/admin/webhook-inbox').expect(401);
      const invalid = await request(stack.apiUrl)
        .get('/v1/admin/webhook-inbox?status=lost')
        .set(admin)
        .expect(400);
      expect(invalid.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      await request(stack.apiUrl).get('/v1/admin/webhook-inbox/999999999999').set(admin).expect(404);
    });
    it('delivers an event stored while the API was down once a fresh API starts', async () => {
      const target = calls.find((c) => c.toNumber.endsWith('0'))!;
      await stack.app.close();
      // Stored, never signalled: the process that accepted it went away before delivering.
      const simCall = (await (
        await fetch(`${stack.sim.url}/api/calls/${target.providerCallId}`, { headers: { 'x-api-key': 'k' } })
      ).json()) as Record<string, unknown>;
      expect(simCall.ended).toBeTruthy();
      const eventKey = `call.ended:${target.providerCallId}`;
      // Stored as the accepting process stores it: leased to that process, here for a second.
      const payload = { event: 'call.ended', call: simCall };
      const [stored] = await storeInboxEvents(
        stack.db,
        [
          {
            provider: 'ultravox',
            eventKey,
            eventType: 'call.ended',
            callId: target.callId,
            payload,
            match: callMatchOf('ultravox', payload),
            ifUnmatched: unmatched('ultravox', 'call.ended', 0),
          },
        ],
        1,
      );
      expect(stored).toEqual({ id: expect.any(Number), callId: target.callId, status: 'pending' });
      expect((await callRecord(target.callId).catch(() => ({}))).outcome ?? null).toBeNull();

      restarted = await createApiApp(
        { config: stack.config, db: stack.appDb, systemDb: stack.systemDb, temporal: stack.client },
        { logger: false },
      );
      await restarted.listen(0, '127.0.0.1');
      const url = (await restarted.getUrl()).replace('[::1]', '127.0.0.1');
      const row = await eventually(async () => {
        const [stored] = await rowsFor(eventKey);
        return stored?.status === 'delivered' ? stored : undefined;
      }, 20_000);
      expect(row.attempts).toBe(1);
      const record = await eventually(async () => {
        const res = await request(url)
          .get(`/v1/calls/${target.callId}`)
          .set('authorization', `Bearer ${apiKey}`);
        return res.body.outcome ? res.body : undefined;
      });
      expect(record).toMatchObject({ status: 'completed', outcome: 'success', sipCode: 200 });
    });
  });
});
