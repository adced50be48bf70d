import {
  asteriskWebhook,
  endCall,
  newCall,
  startCall,
  type ProviderHooks,
  type SimCall,
  type SimContext,
} from './calls';
import { dialplanWebhookBody } from './dialplan';
import { asRecord, asString, header, type RouteRequest, type RouteResult } from './routing';
import { HUMAN_LEG_SECONDS, TRANSFER_ANSWERED, TRANSFER_RESULTS, stringVariables } from './scenarios';

let channelCounter = 0;

export function handleAri(ctx: SimContext, request: RouteRequest): RouteResult | undefined {
  if (!request.path.startsWith('/ari/')) return undefined;
  const auth = header(request, 'authorization');
  const basicInQuery = request.query.get('api_key');
  if (!(auth?.startsWith('Basic ') && auth.length > 'Basic '.length) && !basicInQuery) {
    return { status: 401, body: { message: 'Authentication required' } };
  }
  if (request.method === 'GET' && request.path === '/ari/channels') {
    const live = [...ctx.calls.values()].filter((c) => c.phase !== 'ended');
    return {
      status: 200,
      body: [
        ...live.filter((c) => c.provider === 'asterisk').map(channel),
        ...live.filter((c) => c.provider === 'ultravox').map(ultravoxLeg),
      ],
    };
  }
  if (request.method === 'POST' && request.path === '/ari/channels')
    return originate(ctx, request, undefined);
  const match = /^\/ari\/channels\/([^/]+)$/.exec(request.path);
  if (!match) return { status: 404, body: { message: 'Resource not found' } };
  const id = decodeURIComponent(match[1]!);
  if (request.method === 'POST') return originate(ctx, request, id);
  const ultravoxCall = ultravoxCallOfLeg(ctx, id);
  if (ultravoxCall && request.method === 'DELETE') {
    endCall(ctx, ultravoxCall, ultravoxCall.answeredAt ? 'api_hangup' : 'cancelled');
    return { status: 204 };
  }
  const call = ctx.calls.get(id);
  const live = call && call.provider === 'asterisk' && call.phase !== 'ended' ? call : undefined;
  if (!live) return { status: 404, body: { message: 'Channel not found' } };
  if (request.method === 'GET') return { status: 200, body: channel(live) };
  if (request.method === 'DELETE') {
    endCall(ctx, live, live.answeredAt ? 'api_hangup' : 'cancelled');
    return { status: 204 };
  }
  return { status: 405, body: { message: 'Method not allowed' } };
}

/** ARI takes originate parameters in the query string or, equally, in the JSON body. */
function param(request: RouteRequest, body: Record<string, unknown>, name: string): string | undefined {
  return request.query.get(name) ?? asString(body[name]);
}

function originate(ctx: SimContext, request: RouteRequest, pathChannelId: string | undefined): RouteResult {
  const body = asRecord(request.body);
  const endpoint = param(request, body, 'endpoint');
  if (!endpoint) return { status: 400, body: { message: 'Endpoint must be specified' } };
  if (!param(request, body, 'app') && !param(request, body, 'extension')) {
    return { status: 400, body: { message: 'Application or extension must be specified' } };
  }
  const channelId = pathChannelId ?? param(request, body, 'channelId') ?? nextUniqueId();
  if (ctx.calls.has(channelId) || transferChannels.has(channelId))
    return { status: 409, body: { message: 'Channel with given unique ID already exists' } };
  const transferTo = /^Local\/(\d+)@outdial-transfer(\/n)?$/.exec(endpoint)?.[1];
  if (transferTo !== undefined) return transfer(ctx, channelId, transferTo, stringVariables(body.variables));
  const variables = withoutInheritance(stringVariables(body.variables));
  const toNumber = /^[^/]+\/([^@]+)/.exec(endpoint)?.[1] ?? endpoint;
  const call = newCall(ctx, {
    provider: 'asterisk',
    providerCallId: channelId,
    callId: variables.VOICEAI_UUID,
    toNumber,
    fromNumber: param(request, body, 'callerId') ?? '',
    variables,
    request: {
      ...body,
      endpoint,
      context: param(request, body, 'context') ?? 'ai-outbound',
      extension: param(request, body, 'extension') ?? 's',
      priority: param(request, body, 'priority') ?? '1',
      app: param(request, body, 'app') ?? '',
    },
    firstMessage: variables.FIRST_MESSAGE ?? 'Merhaba',
    language: variables.LANGUAGE ?? 'tr',
  });
  if (call.scenario === 'dial_error_4xx')
    return { status: 400, body: { message: 'Invalid parameters for originating a channel' } };
  startCall(ctx, call, hooks(ctx));
  if (call.scenario === 'dial_network_failure') return { destroy: true };
  return { status: 200, body: channel(call) };
}

const transferChannels = new Set<string>();

/**
 * A transfer originate, as the ARI reference (Channels REST API) documents `POST /channels`: "the
 * new channel is created immediately and a snapshot of it returned" (200, a Channel); a `channelId`
 * in use is 409; without `app` no Stasis application is subscribed, so no ARI event
 * (StasisStart, ChannelStateChange, ChannelDestroyed) reaches anyone and the dialplan's webhooks are
 * the only reports. The Local channel is created at once; its dialling
 * half rings the human in [outdial-transfer]. Answered, the other half's Bridge() takes the person
 * from the AI (who is left alone and ends); when the human hangs up, Dial() returns and the dialplan
 * posts DIALSTATUS, HANGUPCAUSE and ANSWEREDTIME. Not answered, Dial() returns at once with its
 * status and the person is still with the AI.
 */
function transfer(
  ctx: SimContext,
  channelId: string,
  digits: string,
  rawVariables: Record<string, string>,
): RouteResult {
  transferChannels.add(channelId);
  const variables = withoutInheritance(rawVariables);
  const callId = variables.OUTDIAL_TRANSFER_OF ?? '';
  const call = ctx.calls.get(callId);
  const profile = (call && TRANSFER_RESULTS[call.scenario]) ?? TRANSFER_ANSWERED;
  const report = (answeredSeconds: string) => {
    const { path, body } = dialplanWebhookBody('outdial-transfer', {
      OUTDIAL_TRANSFER_OF: callId,
      EXTEN: digits,
      DIALSTATUS: profile.dialStatus,
      HANGUPCAUSE: profile.hangupCause,
      ANSWEREDTIME: answeredSeconds,
    });
    return call ? ctx.sender.send(asteriskWebhook(ctx, call, 'transfer-progress', path, body)) : undefined;
  };
  ctx.track(
    (async () => {
      await ctx.sleep(ctx.settings.timing.ringMs);
      const live = call?.phase === 'ended' ? undefined : call;
      if (profile.dialStatus !== 'ANSWER' || !live) {
        await report('');
        live?.settleTransfer?.(false);
        return;
      }
      live.dial.transferredTo = `+${digits}`;
      await ctx.sleep(Math.floor(ctx.settings.timing.talkMs / 3));
      live.durationSecs += HUMAN_LEG_SECONDS;
      live.settleTransfer?.(true);
      await report(String(HUMAN_LEG_SECONDS));
    })(),
  );
  return {
    status: 200,
    body: {
      id: channelId,
      name: `Local/${digits}@outdial-transfer-00000001;1`,
      state: 'Down',
      caller: { name: '', number: '' },
      connected: { name: '', number: '' },
      accountcode: '',
      dialplan: { context: 'outdial-transfer-bridge', exten: 's', priority: 1, app_name: '', app_data: '' },
      creationtime: new Date().toISOString().replace('Z', '+0000'),
      language: 'en',
    },
  };
}

function nextUniqueId(): string {
  channelCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${channelCounter}`;
}

function channel(call: SimCall): Record<string, unknown> {
  const r = call.request;
  return {
    id: call.providerCallId,
    name: `${String(r.endpoint).replace(/@.*$/, '')}-${call.providerCallId.replace('.', '').slice(-8).padStart(8, '0')}`,
    state: call.phase === 'ringing' ? 'Ring' : call.phase === 'in-progress' ? 'Up' : 'Down',
    protocol_id: '',
    caller: { name: '', number: call.fromNumber },
    connected: { name: '', number: call.answeredAt ? call.toNumber : '' },
    accountcode: '',
    dialplan: {
      context: r.context,
      exten: r.extension,
      priority: Number(r.priority),
      app_name: '',
      app_data: '',
    },
    creationtime: new Date(call.createdAt).toISOString().replace('Z', '+0000'),
    language: 'en',
    channelvars: { VOICEAI_UUID: call.callId ?? '' },
  };
}

const ULTRAVOX_LEG_PREFIX = 'uv-leg-';

/**
 * The SIP leg an Ultravox call places through our Asterisk (seed 001 §4): a channel in the
 * `from-ultravox` context whose extension is the dialled number. Deleting it ends the Ultravox call.
 */
function ultravoxLeg(call: SimCall): Record<string, unknown> {
  return {
    id: `${ULTRAVOX_LEG_PREFIX}${call.providerCallId}`,
    name: `PJSIP/ultravox-${call.providerCallId.slice(0, 8)}`,
    state: call.phase === 'ringing' ? 'Ring' : 'Up',
    caller: { name: '', number: call.fromNumber },
    connected: { name: '', number: call.answeredAt ? call.toNumber : '' },
    dialplan: { context: 'from-ultravox', exten: call.toNumber, priority: 1, app_name: 'Dial', app_data: '' },
    creationtime: new Date(call.createdAt).toISOString().replace('Z', '+0000'),
    language: 'en',
  };
}

function ultravoxCallOfLeg(ctx: SimContext, channelId: string): SimCall | undefined {
  if (!channelId.startsWith(ULTRAVOX_LEG_PREFIX)) return undefined;
  const call = ctx.calls.get(channelId.slice(ULTRAVOX_LEG_PREFIX.length));
  return call?.provider === 'ultravox' && call.phase !== 'ended' ? call : undefined;
}

/**
 * The dialplan reads `_NAME` (inherited by channels this one creates) as `NAME`: the simulated
 * channel takes both spellings.
 */
function withoutInheritance(variables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [name.replace(/^_{1,2}/, ''), value]),
  );
}

/**
 * Only a dial through a Local channel into `outdial-dial` runs the dialplan that posts call-failed:
 * a direct PJSIP originate that fails just vanishes, as it does on a real Asterisk.
 */
function reportsDialFailure(call: SimCall): boolean {
  return /^Local\/[^@]+@outdial-dial(\/|$)/.test(String(call.request.endpoint));
}

function hooks(ctx: SimContext): ProviderHooks {
  return {
    ended(call) {
      if (!call.failure || !reportsDialFailure(call)) return [];
      const { path, body } = dialplanWebhookBody('outdial-dial', {
        VOICEAI_UUID: call.callId ?? call.providerCallId,
        DIALSTATUS: call.failure.dialStatus,
        HANGUPCAUSE: call.failure.hangupCause,
      });
      return [asteriskWebhook(ctx, call, 'call-failed', path, body)];
    },
  };
}
