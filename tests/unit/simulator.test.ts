import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyElevenLabsSignature } from '../../activities/providers/elevenlabs/signature';
import { verifyUltravoxSignature } from '../../activities/providers/ultravox/signature';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../infra/dev/simulator/server';

/** JSON.parse's own result type: the tests read nested payload fields directly. */
type Parsed = ReturnType<typeof JSON.parse>;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json: Parsed;
}

interface Turn {
  message: string;
  tool_results: { tool_name: string; result?: { result_type: string } }[];
}

/** A stand-in for the Outdial API: records what arrives, answers flow_turn like the flow runner. */
class Receiver {
  readonly received: Received[] = [];
  flowTurn: ((body: Parsed) => { status: number; body?: unknown }) | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        // The dialplan's CURL() posts forms; the providers post JSON.
        const form = req.headers['content-type'] === 'application/x-www-form-urlencoded';
        const json: Parsed =
          raw.length === 0
            ? undefined
            : form
              ? Object.fromEntries(new URLSearchParams(raw.toString()))
              : JSON.parse(raw.toString());
        this.received.push({ path: req.url ?? '', headers: req.headers, raw, json });
        if (req.url === '/api/elevenlabs/tools/flow_turn' && this.flowTurn) {
          const answer = this.flowTurn(json);
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer.body ?? {}));
          return;
        }
        res.writeHead(req.url === '/api/elevenlabs/tools/flow_turn' ? 404 : 200).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const secrets = {
  elevenlabsWebhookSecret: 'wsec_el',
  elevenlabsToolSecret: 'tool-secret',
  ultravoxWebhookSecret: 'uv-secret',
  asteriskWebhookToken: 'ast-token',
};

let receiver: Receiver;
let sim: Simulator | undefined;

async function simulator(options: Partial<SimulatorOptions> = {}): Promise<Simulator> {
  sim = await startSimulator({
    webhookBaseUrl: receiver.url,
    ...secrets,
    timing: { ringMs: 20, talkMs: 60, webhookDelayMs: 10 },
    ...options,
  });
  return sim;
}

function elevenlabs(s: Simulator): ElevenLabsClient {
  return new ElevenLabsClient({ apiKey: 'test', baseUrl: s.url, maxRetries: 0 });
}

const dialRequest = (callId: string, scenario?: string) => ({
  agentId: 'agent_1',
  agentPhoneNumberId: 'phnum_1',
  toNumber: '+905551112233',
  conversationInitiationClientData: {
    dynamicVariables: { call_id: callId, customer_name: 'Ayşe', ...(scenario ? { scenario } : {}) },
    conversationConfigOverride: { agent: { firstMessage: 'Merhaba Ayşe Hanım', language: 'tr' } },
  },
  telephonyCallConfig: { ringingTimeoutSecs: 30 },
});

beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
});

afterEach(async () => {
  await sim?.close();
  sim = undefined;
  await receiver.stop();
});

describe('ElevenLabs through the real SDK', () => {
  it('places a Twilio call, converses through flow_turn and sends a signed post_call_transcription', async () => {
    const s = await simulator({ scenario: 'human_yes' });
    receiver.flowTurn = (body) =>
      body.utterance === 'evet'
        ? { status: 200, body: { message: 'Teşekkürler, iyi günler.', label: 'YES', end_call: true } }
        : {
            status: 200,
            body: { message: 'Ödemenizi yapabilecek misiniz?', label: 'UNKNOWN', end_call: false },
          };
    const client = elevenlabs(s);

    const placed = await client.conversationalAi.twilio.outboundCall(dialRequest('call-1'));
    expect(placed.success).toBe(true);
    expect(placed.conversationId).toMatch(/^conv_/);
    expect(placed.callSid).toMatch(/^CA/);

    const wire = s.requests.find((r) => r.path === '/v1/convai/twilio/outbound-call')!;
    expect(wire.method).toBe('POST');
    expect(wire.headers['xi-api-key']).toBe('test');
    expect(wire.body).toMatchObject({
      agent_id: 'agent_1',
      agent_phone_number_id: 'phnum_1',
      to_number: '+905551112233',
      conversation_initiation_client_data: {
        dynamic_variables: { call_id: 'call-1' },
        conversation_config_override: { agent: { first_message: 'Merhaba Ayşe Hanım', language: 'tr' } },
      },
      telephony_call_config: { ringing_timeout_secs: 30 },
    });

    await s.waitForIdle();
    const [dial] = s.dials();
    expect(dial).toMatchObject({
      provider: 'elevenlabs',
      callId: 'call-1',
      toNumber: '+905551112233',
      providerCallId: placed.conversationId,
      scenario: 'human_yes',
      telephony: 'twilio',
    });
    expect(dial!.endedAt).toBeGreaterThanOrEqual(dial!.startedAt);

    const turns = receiver.on('/api/elevenlabs/tools/flow_turn');
    expect(turns.map((t) => t.json.utterance as string)).toEqual(['alo', 'evet']);
    expect(turns[0]!.headers['x-tool-secret']).toBe('tool-secret');
    expect(turns[0]!.json).toMatchObject({ call_id: 'call-1', request_id: expect.any(String) });

    const [hook] = receiver.on('/api/elevenlabs/webhook');
    const check = verifyElevenLabsSignature(
      hook!.raw,
      hook!.headers['elevenlabs-signature'] as string,
      'wsec_el',
      Date.now() / 1000,
    );
    expect(check.ok).toBe(true);
    expect(hook!.json.type).toBe('post_call_transcription');
    expect(hook!.json.data).toMatchObject({
      agent_id: 'agent_1',
      conversation_id: placed.conversationId,
      status: 'done',
      metadata: {
        termination_reason: 'end_call tool was called.',
        phone_call: { type: 'twilio', external_number: '+905551112233', call_sid: placed.callSid },
      },
      conversation_initiation_client_data: {
        dynamic_variables: { call_id: 'call-1', customer_name: 'Ayşe' },
      },
    });
    expect(hook!.json.data.metadata.call_duration_secs).toBeGreaterThan(0);
    expect((hook!.json.data.transcript as Turn[]).map((t) => t.message)).toEqual([
      'Merhaba Ayşe Hanım',
      'alo',
      'Ödemenizi yapabilecek misiniz?',
      'evet',
      'Teşekkürler, iyi günler.',
    ]);

    const conversation = await client.conversationalAi.conversations.get(placed.conversationId!);
    expect(conversation.status).toBe('done');
    expect(conversation.metadata.phoneCall).toMatchObject({ type: 'twilio', callSid: placed.callSid });
    expect(conversation.transcript).toHaveLength(5);
  });

  it('keeps going to the end of the script when flow_turn does not exist yet', async () => {
    const s = await simulator({ scenario: 'human_no' });
    const placed = await elevenlabs(s).conversationalAi.sipTrunk.outboundCall(dialRequest('call-2'));
    expect(placed.sipCallId).toBeDefined();
    await s.waitForIdle();
    expect(receiver.on('/api/elevenlabs/tools/flow_turn').map((t) => t.json.utterance as string)).toEqual([
      'alo',
      'hayır',
    ]);
    const [hook] = receiver.on('/api/elevenlabs/webhook');
    expect(hook!.json.data.metadata).toMatchObject({
      termination_reason: 'Call ended by remote party',
      phone_call: { type: 'sip_trunking' },
    });
  });

  it('reports a busy line as call_initiation_failure with SIP 486, and a scenario variable beats the rule', async () => {
    const s = await simulator({ scenario: 'human_yes' });
    const client = elevenlabs(s);
    const placed = await client.conversationalAi.twilio.outboundCall(dialRequest('call-3', 'busy'));
    await s.waitForIdle();
    const [hook] = receiver.on('/api/elevenlabs/webhook');
    expect(
      verifyElevenLabsSignature(
        hook!.raw,
        hook!.headers['elevenlabs-signature'] as string,
        'wsec_el',
        Date.now() / 1000,
      ).ok,
    ).toBe(true);
    expect(hook!.json).toMatchObject({
      type: 'call_initiation_failure',
      data: {
        agent_id: 'agent_1',
        conversation_id: placed.conversationId,
        failure_reason: 'busy',
        metadata: {
          type: 'twilio',
          body: { CallStatus: 'busy', SipResponseCode: '486', To: '+905551112233' },
        },
      },
    });
    expect(s.dials()[0]!.scenario).toBe('busy');
    expect((await client.conversationalAi.conversations.get(placed.conversationId!)).status).toBe('failed');
  });

  it('reports no answer over a SIP trunk with SIP 480', async () => {
    const s = await simulator({ scenario: 'no_answer' });
    await elevenlabs(s).conversationalAi.sipTrunk.outboundCall(dialRequest('call-4'));
    await s.waitForIdle();
    const [hook] = receiver.on('/api/elevenlabs/webhook');
    expect(hook!.json.data).toMatchObject({
      failure_reason: 'no-answer',
      metadata: { type: 'sip', body: { sip_status_code: 480 } },
    });
  });

  it('reports the agent voicemail tool in the post-call data', async () => {
    const s = await simulator({ scenario: 'voicemail_agent' });
    await elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('call-5'));
    await s.waitForIdle();
    const [hook] = receiver.on('/api/elevenlabs/webhook');
    expect(hook!.json.data.metadata.termination_reason).toBe('voicemail_detection tool was called.');
    const results = (hook!.json.data.transcript as Turn[]).flatMap((t) => t.tool_results);
    expect(results).toContainEqual(
      expect.objectContaining({
        tool_name: 'voicemail_detection',
        result: expect.objectContaining({ result_type: 'voicemail_detection_success' }),
      }),
    );
  });

  it('refuses a dial with 422 and places no call (dial_error_4xx)', async () => {
    const s = await simulator({ scenario: 'dial_error_4xx' });
    await expect(
      elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('call-6')),
    ).rejects.toMatchObject({ statusCode: 422 });
    await s.waitForIdle();
    expect(s.dials()[0]).toMatchObject({ scenario: 'dial_error_4xx', providerCallId: undefined });
    expect(s.maxConcurrentCalls()).toBe(0);
    expect(receiver.received).toHaveLength(0);
  });

  it('records the dial when the connection is dropped, and the call still happens (dial_network_failure)', async () => {
    const s = await simulator({ scenario: 'dial_network_failure' });
    await expect(elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('call-7'))).rejects.toThrow();
    await s.waitForIdle();
    const [dial] = s.dials();
    expect(dial).toMatchObject({
      callId: 'call-7',
      scenario: 'dial_network_failure',
      providerCallId: expect.stringMatching(/^conv_/),
    });
    const [hook] = receiver.on('/api/elevenlabs/webhook');
    expect(hook!.json.data.conversation_initiation_client_data.dynamic_variables.call_id).toBe('call-7');
  });

  it('finds a conversation by its call_id dynamic variable, as reconciliation asks', async () => {
    const s = await simulator({ scenario: 'dial_network_failure' });
    const client = elevenlabs(s);
    await expect(client.conversationalAi.twilio.outboundCall(dialRequest('call-lost'))).rejects.toThrow();
    await client.conversationalAi.twilio.outboundCall(dialRequest('call-other', 'human_yes'));
    const page = await client.conversationalAi.conversations.list({
      dynamicVariableParams: 'call_id:eq:call-lost',
    });
    expect(page.conversations.map((c) => c.conversationId)).toEqual([s.dials()[0]!.providerCallId]);
    const none = await client.conversationalAi.conversations.list({
      dynamicVariableParams: 'call_id:eq:nobody',
    });
    expect(none.conversations).toHaveLength(0);
    await s.waitForIdle();
  });

  it('holds the dial answer for dialResponseDelayMs while the call already exists', async () => {
    const s = await simulator({
      scenario: 'human_yes',
      timing: { ringMs: 20, talkMs: 60, webhookDelayMs: 10, dialResponseDelayMs: 400 },
    });
    const started = Date.now();
    const answer = elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('call-slow'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(s.dials()).toHaveLength(1);
    await answer;
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    await s.waitForIdle();
  });

  it('rejects a dial without xi-api-key', async () => {
    const s = await simulator();
    const response = await fetch(`${s.url}/v1/convai/twilio/outbound-call`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(s.dials()).toHaveLength(0);
  });
});

describe('adversarial delivery', () => {
  it('sends every webhook twice with duplicateWebhooks', async () => {
    const s = await simulator({ scenario: 'busy', adversarial: { duplicateWebhooks: true } });
    await elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('call-8'));
    await s.waitForIdle();
    const hooks = receiver.on('/api/elevenlabs/webhook');
    expect(hooks).toHaveLength(2);
    expect(hooks[0]!.raw.equals(hooks[1]!.raw)).toBe(true);
  });

  it('drops the final webhook, leaving the result to polling', async () => {
    const s = await simulator({ scenario: 'human_yes', adversarial: { dropFinalWebhook: true } });
    const client = elevenlabs(s);
    const placed = await client.conversationalAi.twilio.outboundCall(dialRequest('call-9'));
    await s.waitForIdle();
    expect(receiver.on('/api/elevenlabs/webhook')).toHaveLength(0);
    const conversation = await client.conversationalAi.conversations.get(placed.conversationId!);
    expect(conversation.status).toBe('done');
    expect(conversation.metadata.callDurationSecs).toBeGreaterThan(0);
  });

  it('sends the AMD result after the end webhook with amdAfterEnd', async () => {
    const s = await simulator({ scenario: 'voicemail_amd', adversarial: { amdAfterEnd: true } });
    await elevenlabs(s).conversationalAi.sipTrunk.outboundCall(dialRequest('call-10'));
    await s.waitForIdle();
    const paths = receiver.received.map((r) => r.path);
    expect(paths).toEqual(['/api/elevenlabs/webhook', '/api/v1/webhooks/amd-result']);
    const amd = receiver.on('/api/v1/webhooks/amd-result')[0]!;
    expect(amd.headers['x-webhook-token']).toBe('ast-token');
    // A bridged leg's AMD names the number alone, as [ultravox-amd-check] posts it.
    expect(amd.json).toEqual({
      phone: '+905551112233',
      status: 'MACHINE',
      cause: 'MAXWORDS-6-5',
      source: 'ultravox',
    });
  });

  it('counts simultaneous live calls', async () => {
    const s = await simulator({
      scenario: 'human_yes',
      timing: { ringMs: 40, talkMs: 120, webhookDelayMs: 5 },
    });
    const client = elevenlabs(s);
    await Promise.all(
      [1, 2, 3].map((n) => client.conversationalAi.twilio.outboundCall(dialRequest(`c-${n}`))),
    );
    await s.waitForIdle();
    await client.conversationalAi.twilio.outboundCall(dialRequest('c-4'));
    await s.waitForIdle();
    expect(s.dials()).toHaveLength(4);
    expect(s.maxConcurrentCalls()).toBe(3);
  });
});

describe('Ultravox', () => {
  const createCall = (s: Simulator, callId: string, scenario?: string) =>
    fetch(`${s.url}/api/calls`, {
      method: 'POST',
      headers: { 'X-API-Key': 'uv-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        systemPrompt: 'Sen bir hatırlatma asistanısın.',
        medium: {
          sip: {
            outgoing: {
              to: 'sip:+905551112233@trunk.example',
              from: '+908505550100',
              username: 'u',
              password: 'p',
            },
          },
        },
        metadata: { call_id: callId, ...(scenario ? { scenario } : {}) },
        firstSpeakerSettings: { agent: { text: 'Merhaba' } },
      }),
    });

  it('creates a call and sends signed call.started, call.joined, call.ended and call.billed', async () => {
    const s = await simulator({ scenario: 'human_yes' });
    const response = await createCall(s, 'uv-1');
    expect(response.status).toBe(201);
    const created = (await response.json()) as { callId: string; endReason: string | null };
    expect(created.endReason).toBeNull();
    await s.waitForIdle();
    const hooks = receiver.on('/api/v1/webhooks/ultravox');
    expect(hooks.map((h) => h.json.event as string)).toEqual([
      'call.started',
      'call.joined',
      'call.ended',
      'call.billed',
    ]);
    for (const hook of hooks) {
      const check = verifyUltravoxSignature(
        hook.raw,
        hook.headers['x-ultravox-webhook-signature'] as string,
        hook.headers['x-ultravox-webhook-timestamp'] as string,
        ['uv-secret'],
        Date.now() / 1000,
      );
      expect(check.ok).toBe(true);
    }
    expect(hooks[2]!.json.call).toMatchObject({
      callId: created.callId,
      endReason: 'hangup',
      metadata: { call_id: 'uv-1' },
    });
    expect(s.dials()[0]).toMatchObject({ provider: 'ultravox', callId: 'uv-1', toNumber: '+905551112233' });
    const fetched = await fetch(`${s.url}/api/calls/${created.callId}`, {
      headers: { 'X-API-Key': 'uv-key' },
    });
    expect(await fetched.json()).toMatchObject({
      endReason: 'hangup',
      sipDetails: { terminationReason: 'SIP_TERMINATION_NORMAL' },
    });
  });

  it('ends a busy call unjoined with SIP_TERMINATION_BUSY', async () => {
    const s = await simulator();
    const created = (await (await createCall(s, 'uv-2', 'busy')).json()) as { callId: string };
    await s.waitForIdle();
    const ended = receiver.on('/api/v1/webhooks/ultravox').find((h) => h.json.event === 'call.ended')!;
    expect(ended.json.call).toMatchObject({
      endReason: 'unjoined',
      sipDetails: { terminationReason: 'SIP_TERMINATION_BUSY' },
    });
    const fetched = await fetch(`${s.url}/api/calls/${created.callId}`, {
      headers: { 'X-API-Key': 'uv-key' },
    });
    expect(await fetched.json()).toMatchObject({
      joined: null,
      sipDetails: { terminationReason: 'SIP_TERMINATION_BUSY' },
    });
  });

  it('hangs up a live call through send_data_message', async () => {
    const s = await simulator({
      scenario: 'human_yes',
      timing: { ringMs: 10, talkMs: 2000, webhookDelayMs: 5 },
    });
    const created = (await (await createCall(s, 'uv-3')).json()) as { callId: string };
    await new Promise((resolve) => setTimeout(resolve, 60));
    const hangup = await fetch(`${s.url}/api/calls/${created.callId}/send_data_message`, {
      method: 'POST',
      headers: { 'X-API-Key': 'uv-key', 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'hang_up' }),
    });
    expect(hangup.status).toBe(204);
    await s.waitForIdle();
    const ended = receiver.on('/api/v1/webhooks/ultravox').find((h) => h.json.event === 'call.ended')!;
    expect(ended.json.call.endReason).toBe('agent_hangup');
  });
});

describe('Asterisk ARI', () => {
  const auth = `Basic ${Buffer.from('ari:secret').toString('base64')}`;
  const originate = (
    s: Simulator,
    callId: string,
    scenario?: string,
    endpoint = 'Local/905551112233@outdial-dial/n',
  ) =>
    fetch(
      `${s.url}/ari/channels?endpoint=${encodeURIComponent(endpoint)}&context=ai-outbound&extension=s&priority=1&app=voiceai`,
      {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          variables: { _VOICEAI_UUID: callId, ...(scenario ? { SCENARIO: scenario } : {}) },
        }),
      },
    );

  it('originates a channel, sends AMD MACHINE for voicemail and removes the channel at the end', async () => {
    const s = await simulator({ scenario: 'voicemail_amd' });
    const response = await originate(s, 'ari-1');
    expect(response.status).toBe(200);
    const channel = (await response.json()) as { id: string; state: string };
    expect(channel.state).toBe('Ring');
    await s.waitForIdle();
    const [amd] = receiver.on('/api/v1/webhooks/amd-result');
    // The dialplan's FILTER(0-9a-f\\-) keeps only what a call id may hold.
    expect(amd!.json).toEqual({ uuid: 'a-1', status: 'MACHINE', cause: 'MAXWORDS-6-5' });
    const gone = await fetch(`${s.url}/ari/channels/${channel.id}`, { headers: { authorization: auth } });
    expect(gone.status).toBe(404);
  });

  it('reports a busy line through call-failed with DIALSTATUS BUSY', async () => {
    const s = await simulator();
    await originate(s, 'ari-2', 'busy');
    await s.waitForIdle();
    const [failed] = receiver.on('/api/v1/webhooks/call-failed');
    expect(failed!.headers['x-webhook-token']).toBe('ast-token');
    expect(failed!.json).toEqual({ uuid: 'a-2', status: 'BUSY', cause: '17' });
  });

  it('reports nothing for a busy line dialled by a direct PJSIP originate, which runs no dialplan', async () => {
    const s = await simulator();
    await originate(s, 'ari-4', 'busy', 'PJSIP/905551112233@trunk');
    await s.waitForIdle();
    expect(s.dials()).toMatchObject([{ callId: 'ari-4', scenario: 'busy' }]);
    expect(receiver.on('/api/v1/webhooks/call-failed')).toEqual([]);
  });

  it('hangs up with DELETE and requires basic auth', async () => {
    const s = await simulator({
      scenario: 'human_yes',
      timing: { ringMs: 500, talkMs: 100, webhookDelayMs: 5 },
    });
    const channel = (await (await originate(s, 'ari-3')).json()) as { id: string };
    expect((await fetch(`${s.url}/ari/channels/${channel.id}`, { method: 'DELETE' })).status).toBe(401);
    expect(
      (
        await fetch(`${s.url}/ari/channels/${channel.id}`, {
          method: 'DELETE',
          headers: { authorization: auth },
        })
      ).status,
    ).toBe(204);
    await s.waitForIdle();
    expect(s.dials()[0]!.endedAt).toBeDefined();
    expect(receiver.on('/api/elevenlabs/tools/flow_turn')).toHaveLength(0);
  });
});

describe('scenario choice', () => {
  it('uses a rule function, and a seeded mix that repeats for the same seed', async () => {
    const s = await simulator({ scenario: (to) => (to.endsWith('9') ? 'no_answer' : 'busy') });
    const client = elevenlabs(s);
    await client.conversationalAi.twilio.outboundCall({ ...dialRequest('r-1'), toNumber: '+905551112239' });
    await client.conversationalAi.twilio.outboundCall({ ...dialRequest('r-2'), toNumber: '+905551112230' });
    await s.waitForIdle();
    expect(s.dials().map((d) => d.scenario)).toEqual(['no_answer', 'busy']);
    await s.close();

    const mix = async (seed: number) => {
      const seeded = await startSimulator({
        webhookBaseUrl: receiver.url,
        ...secrets,
        seed,
        timing: { ringMs: 1, talkMs: 1, webhookDelayMs: 1 },
      });
      const c = elevenlabs(seeded);
      for (let i = 0; i < 8; i += 1) await c.conversationalAi.twilio.outboundCall(dialRequest(`m-${i}`));
      await seeded.waitForIdle();
      await seeded.close();
      return seeded.dials().map((d) => d.scenario);
    };
    const first = await mix(42);
    expect(await mix(42)).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});

describe('delivery details', () => {
  it('sends post_call_audio after the transcription when asked, both signed', async () => {
    const s = await simulator({ scenario: 'human_later', elevenlabsAudioWebhook: true });
    await elevenlabs(s).conversationalAi.twilio.outboundCall(dialRequest('a-1'));
    await s.waitForIdle();
    const hooks = receiver.on('/api/elevenlabs/webhook');
    expect(hooks.map((h) => h.json.type as string)).toEqual(['post_call_transcription', 'post_call_audio']);
    expect(hooks[1]!.json.data).toMatchObject({ agent_id: 'agent_1', full_audio: expect.any(String) });
    for (const hook of hooks) {
      const header = hook.headers['elevenlabs-signature'] as string;
      expect(verifyElevenLabsSignature(hook.raw, header, 'wsec_el', Date.now() / 1000).ok).toBe(true);
    }
  });

  it('shuffles a call’s webhooks but delivers every one of them', async () => {
    const s = await simulator({ scenario: 'voicemail_amd', seed: 3, adversarial: { shuffle: true } });
    const response = await fetch(`${s.url}/api/calls`, {
      method: 'POST',
      headers: { 'X-API-Key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({
        medium: { sip: { outgoing: { to: '+905551112233' } } },
        metadata: { call_id: 'sh-1' },
      }),
    });
    expect(response.status).toBe(201);
    await s.waitForIdle();
    const events = receiver.received.map((r) => (r.json.event as string | undefined) ?? 'amd-result');
    expect([...events].sort()).toEqual([
      'amd-result',
      'call.billed',
      'call.ended',
      'call.joined',
      'call.started',
    ]);
    const amdAt = s.webhooks.find((w) => w.event === 'amd-result')!.at;
    expect(amdAt).toBeGreaterThanOrEqual(s.dials()[0]!.endedAt!);
  });

  it('retries an Ultravox webhook after network errors and records the failure', async () => {
    const s = await startSimulator({
      webhookBaseUrl: 'http://127.0.0.1:9',
      ...secrets,
      timing: { ringMs: 1, talkMs: 1, webhookDelayMs: 1 },
    });
    sim = s;
    await fetch(`${s.url}/api/calls`, {
      method: 'POST',
      headers: { 'X-API-Key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({
        medium: { sip: { outgoing: { to: '+905551112233' } } },
        metadata: { call_id: 'r-1', scenario: 'busy' },
      }),
    });
    await s.waitForIdle();
    const started = s.webhooks.find((w) => w.event === 'call.started')!;
    expect(started).toMatchObject({ status: undefined, attempts: 3, error: expect.any(String) });
  });
});

describe('production mode', () => {
  it('refuses to start, so nothing in production can answer as a provider or sign as one', async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(simulator()).rejects.toThrow('refuses to start with NODE_ENV=production');
      expect(sim).toBeUndefined();
    } finally {
      process.env.NODE_ENV = before;
    }
  });
});
