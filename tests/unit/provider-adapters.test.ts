import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AriClient } from '../../activities/providers/asterisk/ari-client';
import { AsteriskProvider } from '../../activities/providers/asterisk/provider';
import { ElevenLabsProvider, type ElevenLabsSettings } from '../../activities/providers/elevenlabs/provider';
import { providersFromConfig } from '../../activities/providers/from-config';
import { DialOutcomeUnknownError, DialRejectedError } from '../../activities/providers/provider';
import { UltravoxProvider } from '../../activities/providers/ultravox/provider';
import { parseConfig } from '../../infra/config/config';
import { startSimulator, type Simulator } from '../../infra/dev/simulator/server';
import { startApiOnlySimulator } from '../support/simulator';

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

  it('originates a Local channel through outdial-dial into ai-outbound, our call id as the channel id', async () => {
    const { ari, seen } = ariFor(() => ({ status: 200, body: { id: request.callId } }));
    const provider = new AsteriskProvider(ari, { trunk: 'trunk' });
    await expect(provider.placeCall(request)).resolves.toEqual({ providerCallId: request.callId });
    const url = new URL(seen[0]!.url);
    expect(url.pathname).toBe('/ari/channels');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      endpoint: 'Local/905321234567@outdial-dial/n',
      context: 'ai-outbound',
      extension: 's',
      priority: '1',
      channelId: request.callId,
    });
    expect(seen[0]!.body).toMatchObject({
      variables: { _VOICEAI_UUID: request.callId, _SIP_TRUNK: 'trunk', FIRST_MESSAGE: 'Merhaba Ayşe Hanım' },
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

describe('ElevenLabsProvider', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** startApiOnlySimulator's options: webhooks and tool calls go nowhere. */
  const apiOnlyOptions = {
    webhookBaseUrl: 'http://127.0.0.1:9',
    elevenlabsWebhookSecret: 'sim-webhook-secret',
    elevenlabsToolSecret: 'sim-tool-secret',
    ultravoxWebhookSecret: 'sim-ultravox-secret',
    asteriskWebhookToken: 'sim-asterisk-token',
  };

  const settingsFor = (url: string, telephony: ElevenLabsSettings['telephony']): ElevenLabsSettings => ({
    apiKey: 'xi-key',
    baseUrl: url,
    agentId: 'agent_test',
    phoneNumberId: 'phnum_test',
    telephony,
  });

  /** The one dial the simulator received, as it arrived on the wire. */
  const dialRequest = (simulator: Simulator) => {
    const dials = simulator.requests.filter((r) => r.method === 'POST');
    expect(dials).toHaveLength(1);
    return dials[0]!;
  };

  it.each([
    ['twilio', '/v1/convai/twilio/outbound-call'],
    ['sip_trunk', '/v1/convai/sip-trunk/outbound-call'],
  ] as const)(
    'dials over %s at %s with the agent, number, call id and ringing timeout',
    async (telephony, path) => {
      sim = await startApiOnlySimulator();
      const provider = new ElevenLabsProvider(settingsFor(sim.url, telephony));
      const { providerCallId } = await provider.placeCall(request);
      const dial = dialRequest(sim);
      expect(dial.path).toBe(path);
      expect(dial.headers['xi-api-key']).toBe('xi-key');
      expect(dial.body).toMatchObject({
        agent_id: 'agent_test',
        agent_phone_number_id: 'phnum_test',
        to_number: request.toNumber,
        conversation_initiation_client_data: {
          dynamic_variables: { ...request.variables, call_id: request.callId },
          conversation_config_override: { agent: { first_message: 'Merhaba Ayşe Hanım', language: 'tr' } },
        },
        telephony_call_config: { ringing_timeout_secs: 30 },
      });
      expect(sim.dials()).toMatchObject([{ provider: 'elevenlabs', telephony, callId: request.callId }]);
      expect(providerCallId).toBe(sim.dials()[0]!.providerCallId);
    },
  );

  it('sends the prompt override only when one is configured', async () => {
    sim = await startApiOnlySimulator();
    await new ElevenLabsProvider(settingsFor(sim.url, 'twilio')).placeCall(request);
    const agentOverride = (body: unknown) =>
      (body as { conversation_initiation_client_data: { conversation_config_override: { agent: object } } })
        .conversation_initiation_client_data.conversation_config_override.agent;
    expect(agentOverride(dialRequest(sim).body)).not.toHaveProperty('prompt');
    await sim.close();

    sim = await startApiOnlySimulator();
    const promptOverride = 'Sen Outdial adına arayan kibar bir asistansın.';
    // Configured as an operator configures it: from the environment.
    const providers = providersFromConfig(
      parseConfig({
        ADMIN_TOKEN: 'an-admin-token-of-16+',
        ELEVENLABS_WEBHOOK_SECRET: 'webhook-secret',
        ELEVENLABS_TOOL_SECRET: 'tool-secret',
        ELEVENLABS_BASE_URL: sim.url,
        ELEVENLABS_AGENT_ID: 'agent_test',
        ELEVENLABS_PHONE_NUMBER_ID: 'phnum_test',
        ELEVENLABS_PROMPT_OVERRIDE: promptOverride,
      }),
    );
    await providers.elevenlabs!.placeCall(request);
    expect(agentOverride(dialRequest(sim).body)).toEqual({
      first_message: 'Merhaba Ayşe Hanım',
      language: 'tr',
      prompt: { prompt: promptOverride },
    });
  });

  it('fetches a call by its conversation id: accepted while live, final with the voicemail tool once done', async () => {
    // A long ring keeps the first fetch inside the live call on a busy machine.
    sim = await startSimulator({
      ...apiOnlyOptions,
      timing: { ringMs: 1000, talkMs: 60, webhookDelayMs: 10 },
    });
    const provider = new ElevenLabsProvider(settingsFor(sim.url, 'twilio'));
    const variables = { ...request.variables, scenario: 'voicemail_agent' };
    const { providerCallId } = await provider.placeCall({ ...request, variables });

    const live = await provider.fetchCall({ providerCallId, callId: request.callId });
    expect(live).toMatchObject({ found: true, final: false });
    expect(live.facts[0]).toMatchObject({ kind: 'dial_accepted', provider: 'elevenlabs', providerCallId });
    const gets = sim.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(gets).toEqual([`/v1/convai/conversations/${providerCallId}`]);

    await sim.waitForIdle();
    const done = await provider.fetchCall({ providerCallId, callId: request.callId });
    expect(done.final).toBe(true);
    expect(done.facts.find((f) => f.kind === 'ended')).toMatchObject({
      key: `elevenlabs:ended:${providerCallId}`,
      endReason: 'voicemail_detection tool was called.',
      voicemailDetected: true,
    });
    await expect(provider.fetchCall({ providerCallId: 'conv_missing', callId: 'x' })).resolves.toEqual({
      found: false,
      final: false,
      facts: [],
    });
  });

  it('reads the voicemail_detection tool call from the SDK transcript when the reason does not name it', async () => {
    // The simulator's reason always names the tool; this conversation is one whose mailbox hung up first.
    const conversation = {
      agent_id: 'agent_test',
      conversation_id: 'conv_vm',
      status: 'done',
      transcript: [
        { role: 'user', message: 'Mesajınızı bırakın.', time_in_call_secs: 2 },
        {
          role: 'agent',
          message: 'Sizi daha sonra arayacağız.',
          time_in_call_secs: 5,
          tool_calls: [
            {
              type: 'system',
              request_id: 'r1',
              tool_name: 'voicemail_detection',
              params_as_json: '{"reason":"greeting"}',
              tool_has_been_called: true,
            },
          ],
          tool_results: [],
        },
      ],
      metadata: {
        start_time_unix_secs: 1_795_000_000,
        call_duration_secs: 9,
        termination_reason: 'Client disconnected: 1000',
      },
      has_audio: true,
      has_user_audio: true,
      has_response_audio: true,
      has_auxiliary_audio: false,
    };
    const server = createServer((req, res) => {
      const found = req.url === '/v1/convai/conversations/conv_vm';
      res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(found ? conversation : { detail: 'Not Found' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const snapshot = await new ElevenLabsProvider(settingsFor(url, 'twilio')).fetchCall({
        providerCallId: 'conv_vm',
        callId: 'c1',
      });
      expect(snapshot.facts.find((f) => f.kind === 'ended')).toMatchObject({
        endReason: 'Client disconnected: 1000',
        voicemailDetected: true,
      });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
