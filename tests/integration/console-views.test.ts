import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioContacts, scenarioStack } from '../support/scenario-campaign';
import { createTenant, TEST_SECRETS } from '../support/stack';

const SCENARIOS = ['human_yes', 'human_dont_call', 'busy'] as const;
const contacts = scenarioContacts(SCENARIOS);
const CSV = [
  'ad,telefon,tutar,son_odeme_tarihi',
  ...contacts.map((c, i) => `Kişi ${i},${c.local},100 TL,2026-12-01`),
].join('\n');
const CONFIG = {
  name: 'Konsol görünümleri',
  callType: 'BILLING_REMINDER',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  maxConcurrentCalls: 3,
  amd: { enabled: false, graceSeconds: 0 },
  retry: { maxAttempts: 1 },
};

interface CallItem {
  callId: string;
  toNumber: string;
  status: string;
  outcome: string | null;
  label: string | null;
}

/** Reads a text/event-stream until `until` holds for an event's data, then stops reading. */
async function sseEvents(
  url: string,
  headers: Record<string, string>,
  until: (data: { status: string }) => boolean,
) {
  const response = await fetch(url, { headers });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: { status: string; progress: { total: number; finished: number } } }[] =
    [];
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as (typeof events)[number]['data'];
      events.push({ event, data });
      if (until(data)) {
        await reader.cancel();
        return events;
      }
    }
  }
  return events;
}

describe('console views: calls, call page, stats and live events, DNC, inbox', () => {
  const ctx = scenarioStack(SCENARIOS);
  let campaignId: string;
  const auth = () => `Bearer ${ctx.apiKey}`;
  const api = () => request(ctx.stack.apiUrl);
  afterAll(async () => ctx.stack?.close());

  it('streams the campaign’s progress live until it ends, and the stats agree', async () => {
    const created = await api()
      .post('/v1/campaigns')
      .set('authorization', auth())
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'kisiler.csv')
      .expect(201);
    campaignId = created.body.id as string;
    const listed = await api().get('/v1/campaigns').set('authorization', auth()).expect(200);
    expect(listed.body.items[0]).toMatchObject({ id: campaignId, progress: { total: 3, finished: 0 } });

    const stream = sseEvents(
      `${ctx.stack.apiUrl}/v1/campaigns/${campaignId}/events`,
      { authorization: auth() },
      (data) => data.status === 'completed',
    );
    await api().post(`/v1/campaigns/${campaignId}/start`).set('authorization', auth()).send({}).expect(200);
    const events = await stream;
    expect(events.every((e) => e.event === 'progress')).toBe(true);
    // Only changes are sent: no two consecutive events are the same.
    for (let i = 1; i < events.length; i++) expect(events[i]!.data).not.toEqual(events[i - 1]!.data);
    const last = events.at(-1)!.data;
    expect(last.progress).toEqual({ total: 3, finished: 3 });
    expect(events.length).toBeGreaterThan(1);

    const stats = await api()
      .get(`/v1/campaigns/${campaignId}/stats`)
      .set('authorization', auth())
      .expect(200);
    expect(stats.body.progress).toEqual({ total: 3, finished: 3 });
    expect(stats.body.counts.byOutcome).toEqual({ success: 1, opted_out: 1, busy: 1 });
    const started = (stats.body.callsOverTime as { started: number; ended: number }[]).reduce(
      (n, p) => n + p.started,
      0,
    );
    const ended = (stats.body.callsOverTime as { started: number; ended: number }[]).reduce(
      (n, p) => n + p.ended,
      0,
    );
    expect(started).toBe(3);
    expect(ended).toBe(3);
    const again = await api().get('/v1/campaigns').set('authorization', auth()).expect(200);
    expect(again.body.items[0]).toMatchObject({
      id: campaignId,
      status: 'completed',
      progress: { total: 3, finished: 3 },
    });
  });

  it('lists the tenant’s calls newest first, filtered and paged, and by digits of the number', async () => {
    const all = await api().get('/v1/calls').set('authorization', auth()).expect(200);
    const items = all.body.items as CallItem[];
    expect(items).toHaveLength(3);
    const byLabel = await api().get('/v1/calls?label=DONT_CALL').set('authorization', auth()).expect(200);
    expect((byLabel.body.items as CallItem[]).map((c) => c.toNumber)).toEqual([contacts[1]!.e164]);
    const byStatus = await api().get('/v1/calls?status=busy').set('authorization', auth()).expect(200);
    expect((byStatus.body.items as CallItem[]).map((c) => c.toNumber)).toEqual([contacts[2]!.e164]);
    const bySearch = await api()
      .get('/v1/calls')
      .query({ q: '100 00 00' })
      .set('authorization', auth())
      .expect(200);
    expect((bySearch.body.items as CallItem[]).map((c) => c.toNumber)).toEqual([contacts[0]!.e164]);

    const first = await api().get('/v1/calls?limit=2').set('authorization', auth()).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await api()
      .get('/v1/calls')
      .query({ limit: 2, cursor: first.body.nextCursor as string })
      .set('authorization', auth())
      .expect(200);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const paged = [...(first.body.items as CallItem[]), ...(second.body.items as CallItem[])].map(
      (c) => c.callId,
    );
    expect(paged).toEqual(items.map((c) => c.callId));

    const bad = await api().get('/v1/calls?cursor=nonsense').set('authorization', auth()).expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'cursor' }] });
    const badQ = await api().get('/v1/calls?q=abc').set('authorization', auth()).expect(400);
    expect(badQ.body.code).toBe('VALIDATION_FAILED');
  });

  it('shows a call with its turns, labels, analysis and recording; another tenant sees none of it', async () => {
    const yes = await api().get('/v1/calls?label=YES').set('authorization', auth()).expect(200);
    const callId = (yes.body.items as CallItem[])[0]!.callId;
    const call = await api().get(`/v1/calls/${callId}`).set('authorization', auth()).expect(200);
    expect(call.body.turns.length).toBeGreaterThan(0);
    expect(call.body.turns.map((t: { label: string }) => t.label)).toContain('YES');
    expect(call.body.turns[0].utterance).toBeTruthy();
    expect(call.body.turns[0].reply).toBeTruthy();
    expect(call.body.labels.map((l: { label: string }) => l.label)).toContain('YES');
    expect(call.body.transcript.length).toBeGreaterThan(0);
    const kinds = (call.body.timeline as { kind: string; at: string }[]).map((e) => e.kind);
    expect(kinds).toContain('ended');
    const times = (call.body.timeline as { at: string }[]).map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(call.body.analysis.evaluation[0]).toMatchObject({
      criterion: 'reminder_acknowledged',
      result: 'success',
    });
    expect(call.body.analysis.dataCollection[0]).toMatchObject({ field: 'customer_reply' });
    expect(call.body.temporalUiUrl).toContain(encodeURIComponent(`call-${callId}`).slice(0, 10));
    expect(call.body.recordingUrl).toBe(`/v1/calls/${callId}/recording`);

    const audio = await api()
      .get(call.body.recordingUrl as string)
      .set('authorization', auth())
      .expect(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect((audio.body as Buffer).subarray(0, 4).toString('latin1')).toBe('RIFF');
    // The provider's key and URL never reach the browser: the bytes come through this API.
    expect(JSON.stringify(call.body)).not.toContain(ctx.stack.sim.url);

    const busy = await api().get('/v1/calls?status=busy').set('authorization', auth()).expect(200);
    const busyId = (busy.body.items as CallItem[])[0]!.callId;
    const unanswered = await api().get(`/v1/calls/${busyId}`).set('authorization', auth()).expect(200);
    expect(unanswered.body.recordingUrl).toBeNull();
    const none = await api().get(`/v1/calls/${busyId}/recording`).set('authorization', auth()).expect(404);
    expect(none.body.code).toBe('RECORDING_NOT_FOUND');

    const other = await createTenant(ctx.stack, 'Başka kiracı');
    const bearer = `Bearer ${other.apiKey}`;
    await api().get(`/v1/calls/${callId}`).set('authorization', bearer).expect(404);
    await api().get(`/v1/calls/${callId}/recording`).set('authorization', bearer).expect(404);
    const theirs = await api().get('/v1/calls').set('authorization', bearer).expect(200);
    expect(theirs.body.items).toEqual([]);
    await api().get(`/v1/campaigns/${campaignId}/stats`).set('authorization', bearer).expect(404);
    await api().get(`/v1/campaigns/${campaignId}/events`).set('authorization', bearer).expect(404);
  });

  it('keeps the DNC list searchable, shows where each number came from, and takes a file', async () => {
    const fromCall = await api()
      .get('/v1/dnc')
      .query({ q: contacts[1]!.e164.slice(-7) })
      .set('authorization', auth())
      .expect(200);
    const dontCall = await api().get('/v1/calls?label=DONT_CALL').set('authorization', auth()).expect(200);
    expect(fromCall.body.items).toEqual([
      expect.objectContaining({
        phone: contacts[1]!.e164,
        sourceCallId: (dontCall.body.items as CallItem[])[0]!.callId,
      }),
    ]);

    const file = ['Telefon,Not', '0555 111 22 33,istemiyor', 'yok,', '+90 555 111 22 44,'].join('\n');
    const uploaded = await api()
      .post('/v1/dnc/upload')
      .set('authorization', auth())
      .field('reason', 'şikayet listesi')
      .attach('file', Buffer.from(file), 'dnc.csv')
      .expect(200);
    expect(uploaded.body).toMatchObject({
      added: 2,
      alreadyListed: 0,
      rejectedCount: 1,
      rejected: [{ row: 3, value: 'yok' }],
    });
    const again = await api()
      .post('/v1/dnc/upload')
      .set('authorization', auth())
      .attach('file', Buffer.from(file), 'dnc.csv')
      .expect(200);
    expect(again.body).toMatchObject({ added: 0, alreadyListed: 2 });
    const listed = await api().get('/v1/dnc?q=5551112233').set('authorization', auth()).expect(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        phone: '+905551112233',
        source: 'upload:dnc.csv',
        reason: 'şikayet listesi',
        sourceCallId: null,
      }),
    ]);
    const noFile = await api().post('/v1/dnc/upload').set('authorization', auth()).expect(400);
    expect(noFile.body.code).toBe('FILE_REQUIRED');
  });

  it('shows a tenant’s admins the inbox events of their own calls, and nobody else', async () => {
    const dontCall = await api().get('/v1/calls?label=DONT_CALL').set('authorization', auth()).expect(200);
    const callId = (dontCall.body.items as CallItem[])[0]!.callId;
    const page = await api().get('/v1/webhook-inbox').set('authorization', auth()).expect(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    for (const item of page.body.items as { callId: string }[]) expect(item.callId).not.toBeNull();
    expect((page.body.items as { callId: string }[]).some((i) => i.callId === callId)).toBe(true);
    const first = (page.body.items as { id: number }[])[0]!;
    const event = await api().get(`/v1/webhook-inbox/${first.id}`).set('authorization', auth()).expect(200);
    expect(event.body.payload).toBeTruthy();

    const other = await createTenant(ctx.stack, 'Üçüncü kiracı');
    const theirs = await api()
      .get('/v1/webhook-inbox')
      .set('authorization', `Bearer ${other.apiKey}`)
      .expect(200);
    expect(theirs.body.items).toEqual([]);
    await api()
      .get(`/v1/webhook-inbox/${first.id}`)
      .set('authorization', `Bearer ${other.apiKey}`)
      .expect(404);

    // A manager is refused (the page is the admins'); the operator sees every event.
    const admin = `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`;
    const email = `manager-${Date.now()}@example.com`;
    await api()
      .post(`/v1/admin/tenants/${other.tenantId}/users`)
      .set('authorization', admin)
      .send({ email, password: 'correct horse battery', role: 'manager' })
      .expect(201);
    const login = await api()
      .post('/v1/auth/login')
      .send({ email, password: 'correct horse battery' })
      .expect(200);
    const cookie = String(([] as string[]).concat(login.headers['set-cookie'] ?? [])[0]).split(';')[0]!;
    const refused = await api().get('/v1/webhook-inbox').set('cookie', cookie).expect(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN_ROLE', requiredRole: 'admin' });
    const operator = await api().get('/v1/admin/webhook-inbox').set('authorization', admin).expect(200);
    expect(operator.body.items.length).toBeGreaterThanOrEqual(page.body.items.length);
  });

  it('documents every console read with its response schema', async () => {
    const doc = await api().get('/docs/openapi.json').expect(200);
    const paths = doc.body.paths as Record<
      string,
      Record<string, { responses: Record<string, { content?: unknown }> }>
    >;
    for (const [path, method, status] of [
      ['/v1/calls', 'get', '200'],
      ['/v1/calls/{callId}', 'get', '200'],
      ['/v1/campaigns', 'get', '200'],
      ['/v1/campaigns/{id}', 'get', '200'],
      ['/v1/campaigns/{id}/stats', 'get', '200'],
      ['/v1/campaigns/drafts', 'post', '201'],
      ['/v1/campaigns/{id}/columns', 'get', '200'],
      ['/v1/dnc', 'get', '200'],
      ['/v1/webhook-inbox', 'get', '200'],
      ['/v1/auth/session', 'get', '200'],
    ] as const) {
      expect(paths[path]?.[method]?.responses[status]?.content, `${method} ${path}`).toBeDefined();
    }
  });
});
