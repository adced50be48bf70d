import { signElevenLabs } from './webhook-signer';
import {
  newCall,
  randomId,
  startCall,
  unixSeconds,
  type ProviderHooks,
  type SimCall,
  type SimContext,
} from './calls';
import { handleElevenLabsWorkspace } from './elevenlabs-workspace';
import { recordingOf } from './recording';
import { asRecord, asString, header, type RouteRequest, type RouteResult } from './routing';
import { stringVariables } from './scenarios';
import type { OutgoingWebhook } from './webhook-sender';

/** The number ElevenLabs dials from; the simulator has no phone-number registry. */
const AGENT_NUMBER = '+908505550100';

type Telephony = 'twilio' | 'sip_trunk';

export function handleElevenLabs(ctx: SimContext, request: RouteRequest): RouteResult | undefined {
  if (!request.path.startsWith('/v1/convai/') && !request.path.startsWith('/v1/workspace/')) return undefined;
  if (!header(request, 'xi-api-key')) {
    return {
      status: 401,
      body: { detail: { status: 'invalid_api_key', message: 'Missing xi-api-key header.' } },
    };
  }
  const workspace = handleElevenLabsWorkspace(ctx, request);
  if (workspace) return workspace;
  if (request.method === 'POST' && request.path === '/v1/convai/twilio/outbound-call') {
    return outboundCall(ctx, request, 'twilio');
  }
  if (request.method === 'POST' && request.path === '/v1/convai/sip-trunk/outbound-call') {
    return outboundCall(ctx, request, 'sip_trunk');
  }
  if (request.method === 'GET' && request.path === '/v1/convai/conversations') {
    return listConversations(ctx, request);
  }
  const audio = /^\/v1\/convai\/conversations\/([^/]+)\/audio$/.exec(request.path);
  if (request.method === 'GET' && audio)
    return conversationAudio(ctx.calls.get(decodeURIComponent(audio[1]!)));
  const match = /^\/v1\/convai\/conversations\/([^/]+)$/.exec(request.path);
  if (request.method === 'GET' && match) {
    const call = ctx.calls.get(decodeURIComponent(match[1]!));
    if (!call || call.provider !== 'elevenlabs') {
      return {
        status: 404,
        body: { detail: { status: 'conversation_not_found', message: 'Conversation not found.' } },
      };
    }
    return { status: 200, body: conversation(call) };
  }
  return { status: 404, body: { detail: 'Not Found' } };
}

/** GET .../conversations/:id/audio: the recording of an answered, ended conversation. */
function conversationAudio(call: SimCall | undefined): RouteResult {
  if (!call || call.provider !== 'elevenlabs' || call.phase !== 'ended' || !call.answeredAt) {
    return {
      status: 404,
      body: { detail: { status: 'audio_not_found', message: 'No audio for this conversation.' } },
    };
  }
  return { status: 200, bytes: recordingOf(call.durationSecs), contentType: 'audio/wav' };
}

function outboundCall(ctx: SimContext, request: RouteRequest, telephony: Telephony): RouteResult {
  const body = asRecord(request.body);
  const agentId = asString(body.agent_id);
  const phoneNumberId = asString(body.agent_phone_number_id);
  const toNumber = asString(body.to_number);
  const missing = [
    ['agent_id', agentId],
    ['agent_phone_number_id', phoneNumberId],
    ['to_number', toNumber],
  ].filter(([, value]) => value === undefined);
  if (missing.length > 0 || !agentId || !phoneNumberId || !toNumber) {
    return {
      status: 422,
      body: {
        detail: missing.map(([name]) => ({ loc: ['body', name], msg: 'Field required', type: 'missing' })),
      },
    };
  }
  const clientData = asRecord(body.conversation_initiation_client_data);
  const variables = stringVariables(clientData.dynamic_variables);
  const agentOverride = asRecord(asRecord(clientData.conversation_config_override).agent);
  const conversationId = randomId('conv_');
  const callSid = telephony === 'twilio' ? `CA${randomId('', 32)}` : randomId('sip_', 24);
  const call = newCall(ctx, {
    provider: 'elevenlabs',
    providerCallId: conversationId,
    callId: variables.call_id,
    toNumber,
    fromNumber: AGENT_NUMBER,
    variables,
    request: body,
    firstMessage: asString(agentOverride.first_message) ?? 'Merhaba',
    language: asString(agentOverride.language) ?? 'tr',
    telephony,
    extra: { telephony, agentId, phoneNumberId, callSid },
  });
  if (call.scenario === 'dial_error_4xx') {
    return {
      status: 422,
      // As pydantic reports it, quoting the value: the number reaches the activity's failure message.
      body: {
        detail: [
          { loc: ['body', 'to_number'], msg: 'Invalid phone number', type: 'value_error', input: toNumber },
        ],
      },
    };
  }
  startCall(ctx, call, hooks(ctx));
  // The provider has the call from here on; a slow answer leaves the client in the dark meanwhile.
  const delayMs = ctx.settings.timing.dialResponseDelayMs;
  if (call.scenario === 'dial_network_failure') return { destroy: true, delayMs };
  return {
    delayMs,
    status: 200,
    body:
      telephony === 'twilio'
        ? { success: true, message: 'Success', conversation_id: conversationId, callSid }
        : { success: true, message: 'Success', conversation_id: conversationId, sip_call_id: callSid },
  };
}

function hooks(ctx: SimContext): ProviderHooks {
  return {
    ended(call) {
      if (call.failure || !call.answeredAt) return [initiationFailure(ctx, call)];
      const webhooks = [signed(ctx, call, 'post_call_transcription', postCallData(call))];
      if (ctx.settings.elevenlabsAudioWebhook) {
        webhooks.push(
          signed(ctx, call, 'post_call_audio', {
            agent_id: call.extra.agentId,
            conversation_id: call.providerCallId,
            // A few bytes of an MP3 frame header: the receiver only stores it.
            full_audio: Buffer.from([0xff, 0xfb, 0x90, 0x44, 0, 0, 0, 0]).toString('base64'),
          }),
        );
      }
      return webhooks;
    },
  };
}

function signed(ctx: SimContext, call: SimCall, type: string, data: unknown): OutgoingWebhook {
  const t = unixSeconds(Date.now());
  const body = JSON.stringify({ type, event_timestamp: t, data });
  return {
    provider: 'elevenlabs',
    event: type,
    url: `${ctx.settings.webhookBaseUrl}/api/elevenlabs/webhook`,
    body,
    headers: { 'ElevenLabs-Signature': signElevenLabs(body, ctx.settings.elevenlabsWebhookSecret, t) },
    callId: call.callId,
    providerCallId: call.providerCallId,
  };
}

function initiationFailure(ctx: SimContext, call: SimCall): OutgoingWebhook {
  const failure = call.failure;
  const sipCode = failure?.sipCode ?? 487;
  const body =
    call.extra.telephony === 'twilio'
      ? {
          AccountSid: 'AC00000000000000000000000000000000',
          CallSid: call.extra.callSid,
          CallStatus: failure?.twilioStatus ?? 'canceled',
          SipResponseCode: String(sipCode),
          Direction: 'outbound-api',
          To: call.toNumber,
          From: call.fromNumber,
          CallDuration: '0',
          ApiVersion: '2010-04-01',
        }
      : {
          sip_status_code: sipCode,
          sip_status: failure?.sipReason ?? 'Request Terminated',
          error_reason: failure?.sipReason ?? 'Request Terminated',
          call_sid: call.extra.callSid,
          to_number: call.toNumber,
          from_number: call.fromNumber,
        };
  return signed(ctx, call, 'call_initiation_failure', {
    agent_id: call.extra.agentId,
    conversation_id: call.providerCallId,
    failure_reason: failure?.elevenlabsReason ?? 'unknown',
    metadata: { type: call.extra.telephony === 'twilio' ? 'twilio' : 'sip', body },
  });
}

function terminationReason(call: SimCall): string {
  switch (call.endKind) {
    case 'agent_hangup':
      return 'end_call tool was called.';
    case 'voicemail_agent':
      return 'voicemail_detection tool was called.';
    case 'transferred':
      return 'transfer_to_number tool was called.';
    case 'user_hangup':
    case 'voicemail_amd':
    case 'api_hangup':
      return 'Call ended by remote party';
    case 'failed':
    case 'cancelled':
      return `Call failed: ${call.failure?.elevenlabsReason ?? 'canceled'}`;
    case undefined:
      return '';
  }
}

function status(call: SimCall): 'initiated' | 'in-progress' | 'processing' | 'done' | 'failed' {
  if (call.phase === 'ringing') return 'initiated';
  if (call.phase === 'in-progress') return 'in-progress';
  if (call.failure || !call.answeredAt) return 'failed';
  return call.processed ? 'done' : 'processing';
}

function phoneCall(call: SimCall): Record<string, unknown> {
  const common = {
    direction: 'outbound',
    phone_number_id: call.extra.phoneNumberId,
    agent_number: call.fromNumber,
    external_number: call.toNumber,
    call_sid: call.extra.callSid,
  };
  return call.extra.telephony === 'twilio'
    ? { type: 'twilio', ...common, stream_sid: `MZ${call.extra.callSid?.slice(2) ?? ''}` }
    : { type: 'sip_trunking', ...common };
}

function clientData(call: SimCall): Record<string, unknown> {
  const sent = asRecord(call.request.conversation_initiation_client_data);
  return {
    ...sent,
    dynamic_variables: {
      ...asRecord(sent.dynamic_variables),
      system__agent_id: call.extra.agentId,
      system__conversation_id: call.providerCallId,
      system__called_number: call.toNumber,
      system__caller_id: call.fromNumber,
      system__call_sid: call.extra.callSid,
    },
  };
}

/** The `data` of post_call_transcription, which is also the GET conversation body. */
function postCallData(call: SimCall): Record<string, unknown> {
  const startedAt = call.answeredAt ?? call.createdAt;
  const voicemail = call.endKind === 'voicemail_agent' || call.endKind === 'voicemail_amd';
  return {
    agent_id: call.extra.agentId,
    conversation_id: call.providerCallId,
    status: status(call),
    user_id: null,
    transcript: call.transcript,
    metadata: {
      start_time_unix_secs: unixSeconds(startedAt),
      accepted_time_unix_secs: call.answeredAt ? unixSeconds(call.answeredAt) : null,
      call_duration_secs: call.durationSecs,
      cost: call.durationSecs * 10,
      termination_reason: terminationReason(call),
      main_language: call.language,
      phone_call: phoneCall(call),
      features_usage: { voicemail_detection: { enabled: true, used: call.endKind === 'voicemail_agent' } },
    },
    analysis:
      call.phase === 'ended' && call.answeredAt
        ? {
            evaluation_criteria_results: voicemail ? {} : evaluationResults(call),
            data_collection_results: voicemail ? {} : dataCollectionResults(call),
            call_successful: voicemail ? 'failure' : 'success',
            transcript_summary: voicemail
              ? 'The call reached a voicemail box.'
              : `The customer answered: ${call.transcript
                  .filter((t) => t.role === 'user')
                  .map((t) => t.message)
                  .join(', ')}.`,
          }
        : null,
    conversation_initiation_client_data: clientData(call),
    has_audio: call.answeredAt !== undefined,
    has_user_audio: call.answeredAt !== undefined,
    has_response_audio: call.answeredAt !== undefined,
  };
}

/** One criterion, as an agent configured with "the customer confirmed the reminder" would get. */
function evaluationResults(call: SimCall): Record<string, unknown> {
  const said = call.transcript
    .filter((t) => t.role === 'user')
    .map((t) => t.message)
    .join(' ');
  return {
    reminder_acknowledged: {
      criteria_id: 'reminder_acknowledged',
      result: said.trim() ? 'success' : 'unknown',
      rationale: said.trim() ? `The customer replied: ${said}` : 'The customer said nothing.',
    },
  };
}

function dataCollectionResults(call: SimCall): Record<string, unknown> {
  const first = call.transcript.find((t) => t.role === 'user');
  return {
    customer_reply: {
      data_collection_id: 'customer_reply',
      value: first?.message ?? null,
      json_schema: { type: 'string', description: 'What the customer answered first' },
      rationale: first ? 'The first thing the customer said.' : 'The customer said nothing.',
    },
  };
}

function conversation(call: SimCall): Record<string, unknown> {
  return { ...postCallData(call), has_auxiliary_audio: false };
}

/** `dynamic_variable_params` filters, `name:eq:value` (the only operator Outdial uses). */
function dynamicVariableFilters(request: RouteRequest): ((call: SimCall) => boolean)[] {
  return request.query.getAll('dynamic_variable_params').map((param) => {
    const [name, op, ...rest] = param.split(':');
    const value = rest.join(':');
    if (op !== 'eq' || !name) return () => false;
    return (call) =>
      stringVariables(asRecord(call.request.conversation_initiation_client_data).dynamic_variables)[name] ===
      value;
  });
}

function listConversations(ctx: SimContext, request: RouteRequest): RouteResult {
  const agentId = request.query.get('agent_id');
  const filters = dynamicVariableFilters(request);
  const conversations = [...ctx.calls.values()]
    .filter((call) => call.provider === 'elevenlabs' && (!agentId || call.extra.agentId === agentId))
    .filter((call) => filters.every((matches) => matches(call)))
    .map((call) => ({
      agent_id: call.extra.agentId,
      conversation_id: call.providerCallId,
      start_time_unix_secs: unixSeconds(call.answeredAt ?? call.createdAt),
      call_duration_secs: call.durationSecs,
      message_count: call.transcript.length,
      status: status(call),
      call_successful: call.answeredAt ? 'success' : 'failure',
      direction: 'outbound',
    }));
  return { status: 200, body: { conversations, has_more: false, next_cursor: null } };
}
