import { describe, expect, it } from 'vitest';
import { AriClient } from '../../activities/providers/ari-client';
import { AsteriskProvider } from '../../activities/providers/asterisk.provider';
import { DialOutcomeUnknownError, DialRejectedError } from '../../activities/providers/provider';
import { UltravoxProvider } from '../../activities/providers/ultravox.provider';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

type Route = (req: Seen) => { status: number; body?: unknown } | 'reset';

/** A fetch that answers from a routing function and records every request. */
function fakeFetch(route: Route) {
  const seen: Seen[] = [];
  const impl = ((input: string | URL | Request, init?: RequestInit) => {
    const req: Seen = {
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : input.toString(),
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    const answer = route(req);
    if (answer === 'reset') return Promise.reject(new TypeError('fetch failed: socket hang up'));
    return Promise.resolve(
      new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status }),
    );
  }) as typeof fetch;
  return { impl, seen };
}

const request = {
  callId: '7d1c3f0e-1111-4a4a-9b9b-000000000001',
  toNumber: '+905321234567',
  variables: { name: 'Ayşe', amount: '1250 TL' },
  firstMessage: 'Merhaba Ayşe Hanım',
  language: 'tr',
  ringingTimeoutSeconds: 30,
};

const ultravoxSettings = {
  apiKey: 'uv-key',
  baseUrl: 'http://uv.test',
  sipToHost: 'asterisk.example:5043',
  sipUsername: 'ultravox',
  sipPassword: 'sip-secret',
  sipFrom: 'outdial',
  toolBaseUrl: 'https://outdial.example',
  toolSecret: 'tool-secret',
};

describe('UltravoxProvider', () => {
  it('dials through Asterisk with the opening line, call id metadata and the flow_turn tool', async () => {
    const { impl, seen } = fakeFetch(() => ({ status: 201, body: { callId: 'uv-1' } }));
    const provider = new UltravoxProvider(ultravoxSettings, undefined, impl);
    await expect(provider.placeCall(request)).resolves.toEqual({ providerCallId: 'uv-1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('http://uv.test/api/calls');
    expect(seen[0]!.headers['x-api-key']).toBe('uv-key');
    expect(seen[0]!.body).toMatchObject({
      firstSpeakerSettings: { agent: { text: 'Merhaba Ayşe Hanım' } },
      medium: {
        sip: {
          outgoing: {
            to: 'sip:+905321234567@asterisk.example:5043',
            from: 'outdial',
            username: 'ultravox',
            password: 'sip-secret',
          },
        },
      },
      metadata: { call_id: request.callId, amount: '1250 TL' },
      joinTimeout: '30s',
    });
    const tool = (
      seen[0]!.body as { selectedTools: { temporaryTool: { http: { baseUrlPattern: string } } }[] }
    ).selectedTools[0]!.temporaryTool;
    expect(tool.http.baseUrlPattern).toBe('https://outdial.example/api/elevenlabs/tools/flow_turn');
    // No transfer number: no transfer tool the agent could use on its own.
    expect(JSON.stringify(seen[0]!.body)).not.toContain('coldTransfer');
  });

  it('with a transfer number, selects coldTransfer aimed at the Asterisk the leg goes through', async () => {
    const { impl, seen } = fakeFetch(() => ({ status: 201, body: { callId: 'uv-1' } }));
    const provider = new UltravoxProvider(ultravoxSettings, undefined, impl);
    const variables = { ...request.variables, transfer_number: '+905551112233' };
    await provider.placeCall({ ...request, variables });
    const { selectedTools, systemPrompt } = seen[0]!.body as {
      selectedTools: Record<string, unknown>[];
      systemPrompt: string;
    };
    expect(systemPrompt).toMatch(/When it answers transfer_to, .* call the coldTransfer tool\.$/);
    expect(selectedTools).toHaveLength(2);
    expect(selectedTools[1]).toEqual({
      toolName: 'coldTransfer',
      parameterOverrides: { target: 'sip:+905551112233@asterisk.example:5043' },
    });
  });

  it.each([
    [{ status: 400, body: { medium: ['bad'] } }, DialRejectedError],
    [{ status: 422, body: {} }, DialRejectedError],
    [{ status: 500, body: {} }, DialOutcomeUnknownError],
    [{ status: 503 }, DialOutcomeUnknownError],
    ['reset' as const, DialOutcomeUnknownError],
  ])('classifies a dial answered %j without retrying', async (answer, errorClass) => {
    const { impl, seen } = fakeFetch(() => answer);
    const provider = new UltravoxProvider(ultravoxSettings, undefined, impl);
    await expect(provider.placeCall(request)).rejects.toBeInstanceOf(errorClass);
    expect(seen).toHaveLength(1);
  });

  it('finds a call whose dial answer was lost by metadata.call_id, ignoring other calls', async () => {
    const { impl, seen } = fakeFetch(() => ({
      status: 200,
      body: {
        results: [
          { callId: 'other', metadata: { call_id: 'someone-else' }, created: '2026-11-22T10:00:00Z' },
          { callId: 'uv-1', metadata: { call_id: request.callId }, created: '2026-11-22T10:00:00Z' },
        ],
      },
    }));
    const provider = new UltravoxProvider(ultravoxSettings, undefined, impl);
    const snapshot = await provider.fetchCall({ callId: request.callId });
    expect(seen[0]!.url).toContain(`metadata.call_id=${request.callId}`);
    expect(snapshot).toMatchObject({ found: true, final: false });
    expect(snapshot.facts[0]).toMatchObject({ kind: 'dial_accepted', providerCallId: 'uv-1' });
  });

  it('hang-up of a ringing call (422) cancels its leg in the from-ultravox context over ARI', async () => {
    const { impl, seen } = fakeFetch((req) => {
      if (req.url.endsWith('/send_data_message')) return { status: 422, body: { detail: 'not joined' } };
      if (req.url === 'http://uv.test/api/calls/uv-1') {
        return {
          status: 200,
          body: { callId: 'uv-1', medium: { sip: { outgoing: { to: 'sip:+905321234567@a' } } } },
        };
      }
      if (req.method === 'GET' && req.url === 'http://ari.test/ari/channels') {
        return {
          status: 200,
          body: [
            { id: 'other', state: 'Ring', dialplan: { context: 'from-ultravox', exten: '+905329999999' } },
            { id: 'ai-1', state: 'Ring', dialplan: { context: 'ai-outbound', exten: 's' } },
            { id: 'leg-1', state: 'Ring', dialplan: { context: 'from-ultravox', exten: '+905321234567' } },
          ],
        };
      }
      if (req.method === 'DELETE') return { status: 204 };
      return { status: 404 };
    });
    const ari = new AriClient({ baseUrl: 'http://ari.test/ari', user: 'u', password: 'p' }, impl);
    await new UltravoxProvider(ultravoxSettings, ari, impl).hangUp('uv-1');
    const deletes = seen.filter((r) => r.method === 'DELETE').map((r) => r.url);
    expect(deletes).toEqual(['http://ari.test/ari/channels/leg-1']);
    expect(seen.find((r) => r.url.includes('/ari/'))!.headers.authorization).toBe(
      `Basic ${Buffer.from('u:p').toString('base64')}`,
    );
  });
});

describe('AsteriskProvider', () => {
  const ariFor = (route: Route) => {
    const fake = fakeFetch(route);
    return {
      ...fake,
      ari: new AriClient({ baseUrl: 'http://ari.test/ari', user: 'u', password: 'p' }, fake.impl),
    };
  };

  it('originates into ai-outbound with VOICEAI_UUID and our call id as the channel id', async () => {
    const { ari, seen } = ariFor(() => ({ status: 200, body: { id: request.callId } }));
    const provider = new AsteriskProvider(ari, { trunk: 'trunk' });
    await expect(provider.placeCall(request)).resolves.toEqual({ providerCallId: request.callId });
    const url = new URL(seen[0]!.url);
    expect(url.pathname).toBe('/ari/channels');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      endpoint: 'PJSIP/905321234567@trunk',
      context: 'ai-outbound',
      extension: 's',
      priority: '1',
      channelId: request.callId,
    });
    expect(seen[0]!.body).toMatchObject({
      variables: { VOICEAI_UUID: request.callId, FIRST_MESSAGE: 'Merhaba Ayşe Hanım' },
    });
  });

  it('a refused originate is rejected; an existing channel (409) or 5xx leaves the dial unknown', async () => {
    for (const [status, errorClass] of [
      [400, DialRejectedError],
      [409, DialOutcomeUnknownError],
      [500, DialOutcomeUnknownError],
    ] as const) {
      const { ari } = ariFor(() => ({ status, body: { message: 'x' } }));
      await expect(new AsteriskProvider(ari, { trunk: 'trunk' }).placeCall(request)).rejects.toBeInstanceOf(
        errorClass,
      );
    }
  });

  it('a vanished channel we placed has ended; one never placed is not found', async () => {
    const { ari } = ariFor(() => ({ status: 404, body: { message: 'Channel not found' } }));
    const provider = new AsteriskProvider(ari, { trunk: 'trunk' });
    const placed = await provider.fetchCall({ callId: 'c1', providerCallId: 'c1' });
    expect(placed).toMatchObject({
      found: true,
      final: true,
      facts: [{ kind: 'ended', key: 'asterisk:ended:c1' }],
    });
    expect(await provider.fetchCall({ callId: 'c1' })).toEqual({ found: false, final: false, facts: [] });
  });
});
