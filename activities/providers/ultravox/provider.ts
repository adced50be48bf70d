import { TRANSFER_NUMBER_VARIABLE } from '../../../domain/flow-runner';
import type { AriClient } from '../asterisk/ari-client';
import { classifyDialFailure, isRecord, ProviderHttpError, requestJson, type FetchLike } from '../http';
import {
  DialOutcomeUnknownError,
  type PlaceCallRequest,
  type PlaceCallResult,
  type ProviderCallSnapshot,
  type VoiceProvider,
} from '../provider';
import { ultravoxCallFacts, ultravoxCallFromWire, type UltravoxCall } from './mapping';

export interface UltravoxSettings {
  apiKey: string;
  baseUrl: string;
  /** Asterisk's PJSIP `ultravox` endpoint, host[:port] (seed 001 §4.1). */
  sipToHost: string;
  sipUsername: string;
  sipPassword: string;
  sipFrom: string;
  systemPrompt?: string;
  /** Where Ultravox reaches our flow_turn server tool (`PUBLIC_BASE_URL`) and its secret. */
  toolBaseUrl?: string;
  toolSecret?: string;
}

const DIAL_TIMEOUT_MS = 20_000;
const QUERY_TIMEOUT_MS = 10_000;

const DEFAULT_SYSTEM_PROMPT = [
  'You are a polite outbound reminder agent. Keep every answer short.',
  'After each thing the person says, call the flow_turn tool with their words and say exactly the',
  'message it returns. When it answers end_call true, say the message and hang up.',
].join(' ');

/** Added to the prompt of a call that has the coldTransfer tool. */
const TRANSFER_INSTRUCTION = 'When it answers transfer_to, say the message, then call the coldTransfer tool.';

export class UltravoxProvider implements VoiceProvider {
  readonly name = 'ultravox' as const;

  constructor(
    private readonly settings: UltravoxSettings,
    /** Seed 001 §4.3: a ringing Ultravox leg can only be cancelled on the Asterisk it goes through. */
    private readonly ari: AriClient | undefined,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  async placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    let result;
    try {
      result = await this.request('POST', '/api/calls', DIAL_TIMEOUT_MS, this.createCallBody(request));
    } catch (error) {
      throw classifyDialFailure('Ultravox', error);
    }
    if (result.status !== 201 && result.status !== 200) throw classifyDialFailure('Ultravox', result);
    const callId = isRecord(result.body) ? result.body.callId : undefined;
    if (typeof callId !== 'string' || callId === '') {
      // Accepted, but we cannot name the call: let the workflow reconcile by metadata.call_id.
      throw new DialOutcomeUnknownError('Ultravox accepted the call without a callId');
    }
    return { providerCallId: callId };
  }

  async hangUp(providerCallId: string): Promise<void> {
    const path = `/api/calls/${encodeURIComponent(providerCallId)}/send_data_message`;
    const result = await this.request('POST', path, QUERY_TIMEOUT_MS, { type: 'hang_up', message: '' });
    if (result.status < 300 || result.status === 404) return;
    // 422 (and 425 on DELETE): the leg is still ringing and Ultravox cannot end it (seed 001 §10.3).
    if ((result.status === 422 || result.status === 425) && this.ari) {
      await this.cancelRingingLeg(providerCallId);
      return;
    }
    throw new ProviderHttpError(result.status, result.text, 'Ultravox hang-up');
  }

  async fetchCall(ref: { providerCallId?: string; callId: string }): Promise<ProviderCallSnapshot> {
    const call = ref.providerCallId
      ? await this.getCall(ref.providerCallId)
      : await this.findCall(ref.callId);
    if (!call) return { found: false, final: false, facts: [] };
    return {
      found: true,
      final: call.ended !== undefined,
      facts: [
        {
          kind: 'dial_accepted',
          key: `dial_accepted:${ref.callId}`,
          at: call.created ?? new Date(0).toISOString(),
          provider: 'ultravox',
          providerCallId: call.callId,
        },
        ...ultravoxCallFacts(call),
      ],
    };
  }

  private createCallBody(request: PlaceCallRequest): Record<string, unknown> {
    const { settings } = this;
    const transferNumber = request.variables[TRANSFER_NUMBER_VARIABLE];
    const prompt = settings.systemPrompt ?? DEFAULT_SYSTEM_PROMPT;
    const body: Record<string, unknown> = {
      systemPrompt: transferNumber ? `${prompt} ${TRANSFER_INSTRUCTION}` : prompt,
      languageHint: request.language,
      // The opening line travels with the dial: the conversation never waits on a webhook.
      firstSpeakerSettings: { agent: { text: request.firstMessage } },
      joinTimeout: `${request.ringingTimeoutSeconds}s`,
      recordingEnabled: false,
      medium: {
        sip: {
          outgoing: {
            to: `sip:${request.toNumber}@${settings.sipToHost}`,
            from: settings.sipFrom,
            username: settings.sipUsername,
            password: settings.sipPassword,
          },
        },
      },
      metadata: { ...request.variables, call_id: request.callId },
    };
    const tools = [
      ...(settings.toolBaseUrl && settings.toolSecret ? [this.flowTurnTool(request.callId)] : []),
      ...(transferNumber ? [this.coldTransferTool(transferNumber)] : []),
    ];
    if (tools.length > 0) body.selectedTools = tools;
    return body;
  }

  /**
   * Ultravox's built-in coldTransfer: a SIP REFER on the leg to our Asterisk, whose `ultravox`
   * endpoint sends the person to its transfer context (`ultravox-transfer`, infra/asterisk/), which
   * reports the transfer and dials the number. The REFER's user part is that context's extension.
   */
  private coldTransferTool(transferNumber: string): Record<string, unknown> {
    return {
      toolName: 'coldTransfer',
      parameterOverrides: { target: `sip:${transferNumber}@${this.settings.sipToHost}` },
    };
  }

  private flowTurnTool(callId: string): Record<string, unknown> {
    const { toolBaseUrl, toolSecret } = this.settings;
    return {
      temporaryTool: {
        modelToolName: 'flow_turn',
        description: 'Send what the person just said; answers the next line to say.',
        dynamicParameters: [
          {
            name: 'utterance',
            location: 'PARAMETER_LOCATION_BODY',
            schema: { type: 'string', description: "The person's words" },
            required: true,
          },
        ],
        staticParameters: [
          { name: 'call_id', location: 'PARAMETER_LOCATION_BODY', value: callId },
          { name: 'X-Tool-Secret', location: 'PARAMETER_LOCATION_HEADER', value: toolSecret },
        ],
        http: {
          baseUrlPattern: `${toolBaseUrl!.replace(/\/+$/, '')}/api/elevenlabs/tools/flow_turn`,
          httpMethod: 'POST',
        },
      },
    };
  }

  private async getCall(providerCallId: string): Promise<UltravoxCall | undefined> {
    const result = await this.request(
      'GET',
      `/api/calls/${encodeURIComponent(providerCallId)}`,
      QUERY_TIMEOUT_MS,
    );
    if (result.status === 404) return undefined;
    if (result.status !== 200 || !isRecord(result.body)) {
      throw new ProviderHttpError(result.status, result.text, 'Ultravox call lookup');
    }
    return ultravoxCallFromWire(result.body);
  }

  /** A dial whose answer was lost is found by the metadata we sent with it. */
  private async findCall(callId: string): Promise<UltravoxCall | undefined> {
    const query = new URLSearchParams({ 'metadata.call_id': callId, pageSize: '10' });
    const result = await this.request('GET', `/api/calls?${query.toString()}`, QUERY_TIMEOUT_MS);
    if (result.status !== 200 || !isRecord(result.body) || !Array.isArray(result.body.results)) {
      throw new ProviderHttpError(result.status, result.text, 'Ultravox call search');
    }
    // The filter is checked here too: a server that ignored it must not hand us another call.
    return result.body.results
      .filter(isRecord)
      .map(ultravoxCallFromWire)
      .find((call) => call?.outdialCallId === callId);
  }

  /** Seed 001 §4.3: find the leg in Asterisk's from-ultravox context by the number, and CANCEL it. */
  private async cancelRingingLeg(providerCallId: string): Promise<void> {
    const call = await this.getCall(providerCallId);
    const digits = call?.toNumber?.replace(/\D/g, '');
    if (!digits) throw new Error(`cannot cancel Ultravox call ${providerCallId}: its number is unknown`);
    const channels = await this.ari!.listChannels();
    const leg = channels.find(
      (channel) =>
        channel.dialplan?.context === 'from-ultravox' &&
        (channel.dialplan.exten ?? '').replace(/\D/g, '').endsWith(digits),
    );
    if (leg) await this.ari!.deleteChannel(leg.id);
  }

  private request(method: string, path: string, timeoutMs: number, body?: unknown) {
    return requestJson(this.fetchImpl, `${this.settings.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { 'x-api-key': this.settings.apiKey },
      body,
      timeoutMs,
    });
  }
}
