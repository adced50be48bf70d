import { randomBytes } from 'node:crypto';
import { TRANSFER_NUMBER_VARIABLE } from '../../../domain/flow-runner';
import type { RecordedDial, Recorder, SimProvider } from './recorder';
import {
  FAILURES,
  HUMAN_SCRIPTS,
  HUMAN_LEG_SECONDS,
  TRANSFER_ANSWERED,
  TRANSFER_RESULTS,
  VOICEMAIL_GREETING,
  isFailureScenario,
  isHumanScenario,
  type FailureProfile,
  type ScenarioChooser,
  type ScenarioName,
} from './scenarios';
import { asRecord, asString } from './routing';
import { dialplanWebhookBody } from './dialplan';
import type { Logger, OutgoingWebhook, WebhookSender } from './webhook-sender';

export interface SimTiming {
  ringMs: number;
  talkMs: number;
  webhookDelayMs: number;
  /** How long the dial request waits for its answer after the call was created (0: at once). */
  dialResponseDelayMs: number;
}

export interface Adversarial {
  duplicateWebhooks?: boolean;
  amdAfterEnd?: boolean;
  /** Asterisk's call-transferred (an Ultravox coldTransfer) comes after Ultravox's end webhooks. */
  transferAfterEnd?: boolean;
  /** How long those late webhooks follow the end webhooks (default: the webhook delay). */
  lateByMs?: number;
  dropFinalWebhook?: boolean;
  shuffle?: boolean;
}

export interface SimSettings {
  webhookBaseUrl: string;
  elevenlabsWebhookSecret: string;
  elevenlabsToolSecret: string;
  ultravoxWebhookSecret: string;
  asteriskWebhookToken: string;
  timing: SimTiming;
  adversarial: Adversarial;
  elevenlabsAudioWebhook: boolean;
}

export interface TranscriptTurn {
  role: 'agent' | 'user';
  message: string;
  time_in_call_secs: number;
  tool_calls: unknown[];
  tool_results: unknown[];
}

export type CallPhase = 'ringing' | 'in-progress' | 'ended';

/** How the call ended, in provider-neutral words; each provider renders it its own way. */
export type EndKind =
  | 'failed'
  | 'cancelled'
  | 'user_hangup'
  | 'agent_hangup'
  | 'voicemail_amd'
  | 'voicemail_agent'
  | 'transferred'
  | 'api_hangup';

export interface SimCall {
  provider: SimProvider;
  providerCallId: string;
  callId: string | undefined;
  toNumber: string;
  fromNumber: string;
  scenario: ScenarioName;
  variables: Record<string, string>;
  dial: RecordedDial;
  /** The dial request as received (for echoing back, as the providers do). */
  request: Record<string, unknown>;
  firstMessage: string;
  language: string;
  phase: CallPhase;
  createdAt: number;
  answeredAt: number | undefined;
  endedAt: number | undefined;
  endKind: EndKind | undefined;
  failure: FailureProfile | undefined;
  transcript: TranscriptTurn[];
  labels: string[];
  /** Scripted (not wall-clock) duration in seconds, so durations look like real calls. */
  durationSecs: number;
  /** The post-call processing is over (the final webhook was sent, or dropped on purpose). */
  processed: boolean;
  /** Provider-specific extras (Twilio CallSid, SIP call id...). */
  extra: Record<string, string>;
  /** Webhooks held back until after the end webhooks (the adversarial *AfterEnd orders). */
  afterEnd: OutgoingWebhook[];
  /** Set while the AI holds the person for an ARI transfer: Asterisk says whether the human answered. */
  settleTransfer?: (answered: boolean) => void;
}

export interface SimContext {
  settings: SimSettings;
  recorder: Recorder;
  sender: WebhookSender;
  chooser: ScenarioChooser;
  logger: Logger;
  random: () => number;
  calls: Map<string, SimCall>;
  track(work: Promise<unknown>): void;
  sleep(ms: number): Promise<void>;
  isClosed(): boolean;
}

/** What a provider sends at each point of a call's life; the lifecycle itself is shared. */
export interface ProviderHooks {
  created?(call: SimCall): OutgoingWebhook[];
  answered?(call: SimCall): OutgoingWebhook[];
  /** The end-of-call webhooks (post-call data, call ended/billed, call-failed): the "final" ones. */
  ended(call: SimCall): OutgoingWebhook[];
}

export function randomId(prefix: string, length = 26): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

export function newCall(
  ctx: SimContext,
  fields: Pick<
    SimCall,
    | 'provider'
    | 'providerCallId'
    | 'callId'
    | 'toNumber'
    | 'fromNumber'
    | 'variables'
    | 'request'
    | 'firstMessage'
    | 'language'
  > & { telephony?: 'twilio' | 'sip_trunk'; extra?: Record<string, string> },
): SimCall {
  const scenario = ctx.chooser.choose(fields.toNumber, fields.variables);
  const now = Date.now();
  const dial = ctx.recorder.recordDial({
    provider: fields.provider,
    callId: fields.callId,
    toNumber: fields.toNumber,
    providerCallId: scenario === 'dial_error_4xx' ? undefined : fields.providerCallId,
    scenario,
    ...(fields.telephony ? { telephony: fields.telephony } : {}),
    startedAt: now,
    endedAt: undefined,
  });
  return {
    ...fields,
    scenario,
    dial,
    phase: 'ringing',
    createdAt: now,
    answeredAt: undefined,
    endedAt: undefined,
    endKind: undefined,
    failure: isFailureScenario(scenario) ? FAILURES[scenario] : undefined,
    transcript: [],
    labels: [],
    durationSecs: 0,
    processed: false,
    extra: fields.extra ?? {},
    afterEnd: [],
  };
}

/** Registers an accepted call and runs its script in the background. */
export function startCall(ctx: SimContext, call: SimCall, hooks: ProviderHooks): void {
  ctx.calls.set(call.providerCallId, call);
  ctx.recorder.callStarted();
  ctx.track(runCall(ctx, call, hooks));
}

export function endCall(ctx: SimContext, call: SimCall, kind: EndKind): void {
  if (call.phase === 'ended') return;
  call.phase = 'ended';
  call.endKind = kind;
  call.endedAt = Date.now();
  ctx.recorder.callEnded(call.dial, call.endedAt);
}

/** Sends a call's webhooks in order, or, under the adversarial options, duplicated, dropped or shuffled. */
class Emitter {
  private readonly buffered: OutgoingWebhook[] = [];

  constructor(private readonly ctx: SimContext) {}

  async emit(webhooks: OutgoingWebhook[], final: boolean): Promise<void> {
    const { adversarial } = this.ctx.settings;
    for (const webhook of webhooks) {
      if (final && adversarial.dropFinalWebhook) {
        this.ctx.logger(`dropping ${webhook.event} for ${webhook.providerCallId} (dropFinalWebhook)`);
        continue;
      }
      if (adversarial.shuffle) this.buffered.push(webhook);
      else await this.deliver(webhook);
    }
  }

  async flush(): Promise<void> {
    const queue = this.buffered.splice(0);
    for (let i = queue.length - 1; i > 0; i -= 1) {
      const j = Math.floor(this.ctx.random() * (i + 1));
      [queue[i], queue[j]] = [queue[j]!, queue[i]!];
    }
    for (const webhook of queue) {
      await this.ctx.sleep(Math.floor(this.ctx.random() * 2 * this.ctx.settings.timing.webhookDelayMs));
      await this.deliver(webhook);
    }
  }

  private async deliver(webhook: OutgoingWebhook): Promise<void> {
    if (this.ctx.isClosed()) return;
    await this.ctx.sender.send(webhook);
    if (this.ctx.settings.adversarial.duplicateWebhooks && !this.ctx.isClosed()) {
      await this.ctx.sender.send(webhook);
    }
  }
}

export function amdWebhook(ctx: SimContext, call: SimCall): OutgoingWebhook {
  const amd = { AMDSTATUS: 'MACHINE', AMDCAUSE: 'MAXWORDS-6-5' };
  // ARI calls carry Outdial's call id; a leg Asterisk only bridges (Ultravox, an ElevenLabs SIP
  // trunk) is known by its number alone (seed 001 §7.1).
  const { path, body } =
    call.provider === 'asterisk'
      ? dialplanWebhookBody('amd_machine', { ...amd, VOICEAI_UUID: call.callId ?? call.providerCallId })
      : dialplanWebhookBody('ultravox-amd-check', { ...amd, ULTRAVOX_PHONE: call.toNumber });
  return asteriskWebhook(ctx, call, 'amd-result', path, body);
}

/** A webhook as the dialplan's CURL() posts it: a form body and the token header. */
export function asteriskWebhook(
  ctx: SimContext,
  call: SimCall,
  event: string,
  path: string,
  body: string,
): OutgoingWebhook {
  return {
    provider: 'asterisk',
    event,
    url: `${ctx.settings.webhookBaseUrl}${path}`,
    body,
    contentType: 'application/x-www-form-urlencoded',
    headers: { 'X-Webhook-Token': ctx.settings.asteriskWebhookToken },
    callId: call.callId,
    providerCallId: call.providerCallId,
  };
}

function addTurn(
  call: SimCall,
  role: 'agent' | 'user',
  message: string,
  extra: Partial<TranscriptTurn> = {},
): void {
  call.transcript.push({
    role,
    message,
    time_in_call_secs: call.durationSecs,
    tool_calls: [],
    tool_results: [],
    ...extra,
  });
  call.durationSecs += role === 'agent' ? 4 : 2;
}

interface FlowTurnAnswer {
  message?: unknown;
  label?: unknown;
  end_call?: unknown;
  transfer_to?: unknown;
  transfer_failed_message?: unknown;
}

/** Longest the AI holds the person for a transfer Outdial never starts. */
const TRANSFER_HOLD_MS = 15_000;

/**
 * The AI behind an ARI call's AudioSocket cannot transfer: it holds the person while Outdial has
 * Asterisk dial the human. Bridge() takes the person away when the human answers; otherwise the AI
 * is still on the line and says the turn's fallback line, then hangs up.
 */
async function holdForAriTransfer(ctx: SimContext, call: SimCall, answer: FlowTurnAnswer): Promise<EndKind> {
  const answered = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), TRANSFER_HOLD_MS);
    call.settleTransfer = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
  });
  call.settleTransfer = undefined;
  if (answered) return 'transferred';
  if (typeof answer.transfer_failed_message === 'string') {
    addTurn(call, 'agent', answer.transfer_failed_message);
    call.dial.transferFailedLine = answer.transfer_failed_message;
  }
  await ctx.sleep(Math.floor(ctx.settings.timing.talkMs / 4));
  return 'agent_hangup';
}

/**
 * The agent follows an answer that asks for a transfer with its transfer_to_number system tool,
 * whose destination is the dial's dynamic variable as provision:elevenlabs sets it; the transcript
 * reports the tool's result as ElevenLabs does (`transfer_to_number_twilio_success` /
 * `_sip_success`, or `_error`).
 */
function transferByAgent(call: SimCall, failedLine: unknown): boolean {
  const destination = call.variables[TRANSFER_NUMBER_VARIABLE];
  const requestId = `${call.providerCallId}-transfer`;
  const unreached = TRANSFER_RESULTS[call.scenario];
  const result =
    destination === undefined || unreached
      ? {
          result_type: 'transfer_to_number_error',
          status: 'error',
          ...(destination === undefined ? {} : { transfer_number: destination }),
          error: unreached
            ? `Transfer failed: ${unreached.dialStatus} (Q.850 ${unreached.hangupCause})`
            : `No dynamic variable ${TRANSFER_NUMBER_VARIABLE}`,
        }
      : {
          result_type:
            call.extra.telephony === 'twilio'
              ? 'transfer_to_number_twilio_success'
              : 'transfer_to_number_sip_success',
          status: 'success',
          transfer_number: destination,
          reason: 'The person asked for a representative',
        };
  addTurn(call, 'agent', '', {
    tool_calls: [
      {
        type: 'system',
        request_id: requestId,
        tool_name: 'transfer_to_number',
        params_as_json: JSON.stringify({ transfer_number: destination ?? '' }),
        tool_has_been_called: true,
      },
    ],
    tool_results: [
      {
        type: 'system',
        request_id: requestId,
        tool_name: 'transfer_to_number',
        result_value: JSON.stringify(result),
        is_error: destination === undefined || unreached !== undefined,
        tool_has_been_called: true,
        result,
      },
    ],
  });
  // The agent reads the tool's error and says the flow's fallback line, as its tool condition asks.
  if (unreached && typeof failedLine === 'string') {
    addTurn(call, 'agent', failedLine);
    call.dial.transferFailedLine = failedLine;
  }
  if (destination === undefined || unreached) return false;
  call.dial.transferredTo = destination;
  return true;
}

/**
 * An Ultravox agent follows an answer that asks for a transfer with its coldTransfer tool, if the dial
 * selected it: a REFER to Asterisk, and Ultravox's call is over. Asterisk's `ultravox-transfer`
 * context dials the human with the REFER's user part; their answer runs Dial()'s U() subroutine
 * `ultravox-transfer-answered`, which posts call-transferred, and when the Dial() ends the context
 * posts transfer-progress (DIALSTATUS, HANGUPCAUSE, ANSWEREDTIME), both by the number the person was
 * dialled on (the leg's ULTRAVOX_PHONE). Nobody answered, it plays the person the failure prompt.
 */
function coldTransfer(ctx: SimContext, call: SimCall): boolean {
  const tools = Array.isArray(call.request.selectedTools) ? call.request.selectedTools : [];
  const tool = tools.map(asRecord).find((t) => t.toolName === 'coldTransfer');
  const target = asString(asRecord(tool?.parameterOverrides).target);
  const destination = target?.replace(/^sip:/, '').replace(/@.*$/, '');
  if (!destination) return false;
  const profile = TRANSFER_RESULTS[call.scenario] ?? TRANSFER_ANSWERED;
  const answered = profile.dialStatus === 'ANSWER';
  const variables = { ULTRAVOX_PHONE: call.toNumber, EXTEN: destination, OUTDIAL_TRANSFER_TARGET: destination };
  const webhook = (event: string, context: string, extra: Record<string, string>) => {
    const { path, body } = dialplanWebhookBody(context, { ...variables, ...extra });
    return asteriskWebhook(ctx, call, event, path, body);
  };
  const { adversarial, timing } = ctx.settings;
  ctx.track(
    (async () => {
      await ctx.sleep(timing.ringMs);
      if (adversarial.transferAfterEnd) {
        // Asterisk's reports come well after Ultravox's end webhooks.
        while (!call.processed && !ctx.isClosed()) await ctx.sleep(timing.webhookDelayMs);
        await ctx.sleep(adversarial.lateByMs ?? timing.webhookDelayMs);
      }
      if (answered) await ctx.sender.send(webhook('call-transferred', 'ultravox-transfer-answered', {}));
      // The human talks; Dial() returns when either side hangs up.
      await ctx.sleep(answered ? Math.floor(timing.talkMs / 3) : 0);
      await ctx.sender.send(
        webhook('transfer-progress', 'ultravox-transfer', {
          DIALSTATUS: profile.dialStatus,
          HANGUPCAUSE: profile.hangupCause,
          ANSWEREDTIME: answered ? String(HUMAN_LEG_SECONDS) : '',
        }),
      );
    })(),
  );
  if (answered) call.dial.transferredTo = destination;
  else call.dial.transferFailedPrompt = ULTRAVOX_TRANSFER_FAILED_PROMPT;
  return true;
}

/** The prompt `ultravox-transfer` plays when the human leg of a coldTransfer is not answered. */
export const ULTRAVOX_TRANSFER_FAILED_PROMPT = 'outdial/transfer-failed';

/** The human side of the conversation, through the Outdial server tool; a missing endpoint is tolerated. */
async function converse(ctx: SimContext, call: SimCall, script: string[]): Promise<EndKind> {
  const pause = Math.floor(ctx.settings.timing.talkMs / (script.length + 1));
  for (const [index, utterance] of script.entries()) {
    await ctx.sleep(pause);
    if (call.phase === 'ended' || ctx.isClosed()) return 'api_hangup';
    addTurn(call, 'user', utterance);
    const requestId = `${call.providerCallId}-turn-${index + 1}`;
    const result = await ctx.sender.send({
      provider: call.provider,
      event: 'tool:flow_turn',
      url: `${ctx.settings.webhookBaseUrl}/api/elevenlabs/tools/flow_turn`,
      body: JSON.stringify({ call_id: call.callId, request_id: requestId, utterance }),
      headers: { 'X-Tool-Secret': ctx.settings.elevenlabsToolSecret },
      callId: call.callId,
      providerCallId: call.providerCallId,
    });
    const toolCall = {
      type: 'webhook',
      request_id: requestId,
      tool_name: 'flow_turn',
      params_as_json: JSON.stringify({ utterance }),
      tool_has_been_called: true,
    };
    const answer = parseAnswer(result.status, result.body);
    const toolResult = {
      type: 'webhook',
      request_id: requestId,
      tool_name: 'flow_turn',
      result_value: result.body ?? '',
      is_error: answer === undefined,
      tool_has_been_called: true,
    };
    const lastUser = call.transcript[call.transcript.length - 1]!;
    lastUser.tool_calls.push(toolCall);
    lastUser.tool_results.push(toolResult);
    if (answer === undefined) continue;
    if (typeof answer.label === 'string') call.labels.push(answer.label);
    if (typeof answer.message === 'string' && answer.message !== '') addTurn(call, 'agent', answer.message);
    if (typeof answer.transfer_to === 'string') {
      if (call.provider === 'elevenlabs' && transferByAgent(call, answer.transfer_failed_message)) {
        return 'transferred';
      }
      if (call.provider === 'elevenlabs' && TRANSFER_RESULTS[call.scenario]) return 'agent_hangup';
      if (call.provider === 'ultravox' && coldTransfer(ctx, call)) return 'transferred';
      if (call.provider === 'asterisk') return holdForAriTransfer(ctx, call, answer);
    }
    if (answer.end_call === true) return 'agent_hangup';
  }
  await ctx.sleep(pause);
  return 'user_hangup';
}

function parseAnswer(status: number | undefined, body: string | undefined): FlowTurnAnswer | undefined {
  if (status === undefined || status < 200 || status >= 300 || body === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function runCall(ctx: SimContext, call: SimCall, hooks: ProviderHooks): Promise<void> {
  const { timing, adversarial } = ctx.settings;
  const emitter = new Emitter(ctx);
  if (hooks.created) await emitter.emit(hooks.created(call), false);
  await ctx.sleep(timing.ringMs);
  if (call.phase !== 'ended' && call.failure) {
    endCall(ctx, call, 'failed');
  } else if (call.phase !== 'ended') {
    call.phase = 'in-progress';
    call.answeredAt = Date.now();
    if (hooks.answered) await emitter.emit(hooks.answered(call), false);
    addTurn(call, 'agent', call.firstMessage);
    const scenario = call.scenario === 'dial_network_failure' ? 'human_yes' : call.scenario;
    if (isHumanScenario(scenario)) {
      const kind = await converse(ctx, call, HUMAN_SCRIPTS[scenario]);
      endCall(ctx, call, kind);
    } else if (scenario === 'voicemail_amd') {
      addTurn(call, 'user', VOICEMAIL_GREETING);
      const amd = amdWebhook(ctx, call);
      await ctx.sleep(Math.floor(timing.talkMs / 3));
      if (adversarial.amdAfterEnd) call.afterEnd.push(amd);
      else await emitter.emit([amd], false);
      endCall(ctx, call, 'voicemail_amd');
    } else if (scenario === 'voicemail_agent') {
      addTurn(call, 'user', VOICEMAIL_GREETING);
      await ctx.sleep(Math.floor(timing.talkMs / 3));
      const requestId = `${call.providerCallId}-voicemail`;
      const result = {
        result_type: 'voicemail_detection_success',
        status: 'success',
        reason: 'Voicemail greeting detected',
      };
      addTurn(call, 'agent', '', {
        tool_calls: [
          {
            type: 'system',
            request_id: requestId,
            tool_name: 'voicemail_detection',
            params_as_json: '{"reason":"Voicemail greeting detected"}',
            tool_has_been_called: true,
          },
        ],
        tool_results: [
          {
            type: 'system',
            request_id: requestId,
            tool_name: 'voicemail_detection',
            result_value: JSON.stringify(result),
            is_error: false,
            tool_has_been_called: true,
            result,
          },
        ],
      });
      endCall(ctx, call, 'voicemail_agent');
    } else {
      endCall(ctx, call, 'user_hangup');
    }
  }
  await ctx.sleep(timing.webhookDelayMs);
  call.processed = true;
  await emitter.emit(hooks.ended(call), true);
  if (call.afterEnd.length > 0) {
    await ctx.sleep(adversarial.lateByMs ?? timing.webhookDelayMs);
    await emitter.emit(call.afterEnd, false);
  }
  await emitter.flush();
}
