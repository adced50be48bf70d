import { randomUUID } from 'node:crypto';
import { signUltravox } from './webhook-signer';
import { endCall, newCall, startCall, type ProviderHooks, type SimCall, type SimContext } from './calls';
import { asRecord, asString, header, type RouteRequest, type RouteResult } from './routing';
import { stringVariables } from './scenarios';
import type { OutgoingWebhook } from './webhook-sender';

export function handleUltravox(ctx: SimContext, request: RouteRequest): RouteResult | undefined {
  if (!request.path.startsWith('/api/calls') && !request.path.startsWith('/api/agents/')) return undefined;
  if (!header(request, 'x-api-key')) {
    return { status: 403, body: { detail: 'Authentication credentials were not provided.' } };
  }
  if (
    request.method === 'POST' &&
    (request.path === '/api/calls' || /^\/api\/agents\/[^/]+\/calls$/.test(request.path))
  ) {
    return createCall(ctx, request);
  }
  if (request.method === 'GET' && request.path === '/api/calls') {
    const results = [...ctx.calls.values()].filter((c) => c.provider === 'ultravox').map(callObject);
    return { status: 200, body: { results, next: null, previous: null, total: results.length } };
  }
  const match = /^\/api\/calls\/([^/]+)(\/send_data_message)?$/.exec(request.path);
  const call = match ? ctx.calls.get(decodeURIComponent(match[1]!)) : undefined;
  if (!match || !call || call.provider !== 'ultravox') return { status: 404, body: { detail: 'Not found.' } };
  if (request.method === 'GET' && !match[2]) return { status: 200, body: callObject(call) };
  if (request.method === 'POST' && match[2]) {
    if (asRecord(request.body).type !== 'hang_up')
      return { status: 400, body: { type: ['Unsupported message type.'] } };
    // Seed 001 §10.3: a leg still ringing cannot be ended through Ultravox; Asterisk must CANCEL it.
    if (call.phase === 'ringing') {
      return { status: 422, body: { detail: 'Call has not been joined yet.' } };
    }
    endCall(ctx, call, 'api_hangup');
    return { status: 204 };
  }
  return { status: 405, body: { detail: `Method "${request.method}" not allowed.` } };
}

function createCall(ctx: SimContext, request: RouteRequest): RouteResult {
  const body = asRecord(request.body);
  const medium = asRecord(body.medium);
  const outgoing = asRecord(asRecord(medium.sip).outgoing);
  const twilioOutgoing = asRecord(asRecord(medium.twilio).outgoing);
  const toNumber = asString(outgoing.to) ?? asString(twilioOutgoing.to);
  if (!toNumber)
    return { status: 400, body: { medium: ['An outgoing medium with a "to" destination is required.'] } };
  const metadata = stringVariables(body.metadata);
  const firstSpeaker = asRecord(asRecord(body.firstSpeakerSettings).agent);
  const agentMatch = /^\/api\/agents\/([^/]+)\/calls$/.exec(request.path);
  const call = newCall(ctx, {
    provider: 'ultravox',
    providerCallId: randomUUID(),
    callId: metadata.call_id,
    toNumber: toNumber.replace(/^sip:/, '').replace(/@.*$/, ''),
    fromNumber: asString(outgoing.from) ?? asString(twilioOutgoing.from) ?? '',
    variables: metadata,
    request: body,
    firstMessage: asString(firstSpeaker.text) ?? 'Merhaba',
    language: asString(body.languageHint) ?? 'tr',
    extra: agentMatch ? { agentId: decodeURIComponent(agentMatch[1]!) } : {},
  });
  if (call.scenario === 'dial_error_4xx') {
    return { status: 422, body: { medium: ['The destination number could not be dialled.'] } };
  }
  startCall(ctx, call, hooks(ctx));
  if (call.scenario === 'dial_network_failure') return { destroy: true };
  return { status: 201, body: callObject(call) };
}

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function endReason(call: SimCall): string | null {
  switch (call.endKind) {
    case undefined:
      return null;
    case 'failed':
    case 'cancelled':
      return 'unjoined';
    case 'agent_hangup':
    case 'voicemail_agent':
    case 'transferred':
    case 'api_hangup':
      return 'agent_hangup';
    case 'user_hangup':
    case 'voicemail_amd':
      return 'hangup';
  }
}

function terminationReason(call: SimCall): string | null {
  if (call.phase !== 'ended') return null;
  if (call.failure) return call.failure.ultravoxTermination;
  if (call.endKind === 'cancelled') return 'SIP_TERMINATION_CANCELED';
  return 'SIP_TERMINATION_NORMAL';
}

/** The call object of `GET /api/calls/{id}`, also the `call` of every webhook. */
function callObject(call: SimCall): Record<string, unknown> {
  const body = call.request;
  const medium = asRecord(body.medium);
  const sip = asRecord(asRecord(medium.sip).outgoing);
  const billed = call.phase === 'ended' ? `${call.durationSecs}s` : null;
  const voicemail = call.endKind === 'voicemail_agent' || call.endKind === 'voicemail_amd';
  return {
    callId: call.providerCallId,
    clientVersion: null,
    created: iso(call.createdAt),
    joined: iso(call.answeredAt),
    ended: iso(call.endedAt),
    endReason: endReason(call),
    billedDuration: billed,
    billingStatus:
      call.phase !== 'ended'
        ? 'BILLING_STATUS_PENDING'
        : call.processed
          ? 'BILLING_STATUS_BILLED'
          : 'BILLING_STATUS_PENDING',
    firstSpeaker: 'FIRST_SPEAKER_AGENT',
    firstSpeakerSettings: body.firstSpeakerSettings ?? { agent: {} },
    initialOutputMedium: 'MESSAGE_MEDIUM_VOICE',
    joinUrl: null,
    shortSummary:
      call.phase === 'ended' ? (voicemail ? 'Voicemail detected' : 'Outbound reminder call') : null,
    summary: null,
    agentId: call.extra.agentId ?? null,
    systemPrompt: body.systemPrompt ?? null,
    languageHint: body.languageHint ?? null,
    metadata: body.metadata ?? {},
    medium: Object.keys(sip).length > 0 ? { sip: { outgoing: { ...sip, password: undefined } } } : medium,
    recordingEnabled: body.recordingEnabled ?? false,
    joinTimeout: body.joinTimeout ?? '30s',
    maxDuration: body.maxDuration ?? '3600s',
    errorCount: 0,
    sipDetails:
      call.phase === 'ended' ? { billedDuration: billed, terminationReason: terminationReason(call) } : null,
  };
}

function webhook(ctx: SimContext, call: SimCall, event: string): OutgoingWebhook {
  const body = JSON.stringify({ event, call: callObject(call) });
  const timestamp = new Date().toISOString();
  return {
    provider: 'ultravox',
    event,
    url: `${ctx.settings.webhookBaseUrl}/api/v1/webhooks/ultravox`,
    body,
    headers: {
      'X-Ultravox-Webhook-Timestamp': timestamp,
      'X-Ultravox-Webhook-Signature': signUltravox(body, ctx.settings.ultravoxWebhookSecret, timestamp),
    },
    callId: call.callId,
    providerCallId: call.providerCallId,
  };
}

function hooks(ctx: SimContext): ProviderHooks {
  return {
    created: (call) => [webhook(ctx, call, 'call.started')],
    answered: (call) => [webhook(ctx, call, 'call.joined')],
    ended: (call) => [webhook(ctx, call, 'call.ended'), webhook(ctx, call, 'call.billed')],
  };
}
