import type { CallFact, PostCallAnalysis } from '../../../domain/call-facts';
import { ElevenLabsClient, ElevenLabsError, ElevenLabsTimeoutError } from '@elevenlabs/elevenlabs-js';
import {
  conversationFacts,
  VOICEMAIL_RESULT_TYPE,
  VOICEMAIL_TOOL,
  type ElevenLabsConversation,
} from './mapping';
import {
  DialOutcomeUnknownError,
  DialRejectedError,
  type PlaceCallRequest,
  type PlaceCallResult,
  type ProviderCallSnapshot,
  type Recording,
  type VoiceProvider,
} from '../provider';

export interface ElevenLabsSettings {
  apiKey: string;
  baseUrl?: string;
  agentId: string;
  phoneNumberId: string;
  telephony: 'twilio' | 'sip_trunk';
  /** Replaces the agent's system prompt for each call; the agent must allow the prompt override. */
  promptOverride?: string;
}

type SdkConversation = Awaited<ReturnType<ElevenLabsClient['conversationalAi']['conversations']['get']>>;

function fromSdk(conversation: SdkConversation): ElevenLabsConversation {
  const variables = conversation.conversationInitiationClientData?.dynamicVariables ?? {};
  const callId = variables.call_id;
  return {
    conversationId: conversation.conversationId,
    status: conversation.status,
    callId: typeof callId === 'string' ? callId : undefined,
    startTimeUnixSecs: conversation.metadata.startTimeUnixSecs,
    callDurationSecs: conversation.metadata.callDurationSecs,
    cost: conversation.metadata.cost,
    terminationReason: conversation.metadata.terminationReason,
    transcript: conversation.transcript.map((turn) => ({
      role: turn.role === 'agent' ? 'agent' : 'user',
      message: turn.message ?? '',
      ...(turn.timeInCallSecs === undefined ? {} : { timeInCallSecs: turn.timeInCallSecs }),
    })),
    summary: conversation.analysis?.transcriptSummary,
    analysis: sdkAnalysis(conversation),
    transferredTo: sdkTransferredTo(conversation),
    voicemailToolCalled: sdkVoicemailToolCalled(conversation),
  };
}

/** The SDK's form of the post-call analysis (see elevenlabs.mapping). */
function sdkAnalysis(conversation: SdkConversation): PostCallAnalysis | undefined {
  const evaluation = Object.entries(conversation.analysis?.evaluationCriteriaResults ?? {}).map(([id, entry]) => ({
    criterion: entry.criteriaId || id,
    result: String(entry.result),
    rationale: entry.rationale || null,
  }));
  const dataCollection = Object.entries(conversation.analysis?.dataCollectionResults ?? {}).map(([id, entry]) => ({
    field: entry.dataCollectionId || id,
    value: entry.value ?? null,
    rationale: entry.rationale || null,
  }));
  return evaluation.length + dataCollection.length > 0 ? { evaluation, dataCollection } : undefined;
}

/** The SDK's form of the transcript's voicemail_detection tool call or result (see elevenlabs.mapping). */
function sdkVoicemailToolCalled(conversation: SdkConversation): boolean {
  return conversation.transcript.some(
    (turn) =>
      (turn.toolCalls ?? []).some((call) => call.toolName === VOICEMAIL_TOOL) ||
      (turn.toolResults ?? []).some((toolResult) => {
        const result = 'result' in toolResult ? toolResult.result : undefined;
        return (
          toolResult.toolName === VOICEMAIL_TOOL ||
          (result !== undefined && 'resultType' in result && result.resultType === VOICEMAIL_RESULT_TYPE)
        );
      }),
  );
}

/** The SDK's form of the transcript's successful transfer_to_number result (see elevenlabs.mapping). */
function sdkTransferredTo(conversation: SdkConversation): string | undefined {
  for (const turn of conversation.transcript) {
    for (const toolResult of turn.toolResults ?? []) {
      if (!('result' in toolResult) || toolResult.toolName !== 'transfer_to_number') continue;
      const result = toolResult.result;
      if (result && 'transferNumber' in result && result.resultType.endsWith('_success')) {
        return result.transferNumber;
      }
    }
  }
  return undefined;
}

export class ElevenLabsProvider implements VoiceProvider {
  readonly name = 'elevenlabs' as const;
  private readonly client: ElevenLabsClient;

  constructor(private readonly settings: ElevenLabsSettings) {
    this.client = new ElevenLabsClient({
      apiKey: settings.apiKey,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
    });
  }

  async placeCall(request: PlaceCallRequest): Promise<PlaceCallResult> {
    const body = {
      agentId: this.settings.agentId,
      agentPhoneNumberId: this.settings.phoneNumberId,
      toNumber: request.toNumber,
      // The opening line travels with the dial: the conversation never waits on a lifecycle webhook.
      conversationInitiationClientData: {
        dynamicVariables: { ...request.variables, call_id: request.callId },
        conversationConfigOverride: {
          agent: {
            firstMessage: request.firstMessage,
            language: request.language,
            ...(this.settings.promptOverride ? { prompt: { prompt: this.settings.promptOverride } } : {}),
          },
        },
      },
      telephonyCallConfig: { ringingTimeoutSecs: request.ringingTimeoutSeconds },
    };
    // The SDK retries by default; a retried dial could ring the person twice.
    const options = { maxRetries: 0, timeoutInSeconds: 20 };
    let response: { success: boolean; message: string; conversationId?: string };
    try {
      response =
        this.settings.telephony === 'sip_trunk'
          ? await this.client.conversationalAi.sipTrunk.outboundCall(body, options)
          : await this.client.conversationalAi.twilio.outboundCall(body, options);
    } catch (error) {
      throw classifyDialError(error);
    }
    if (!response.success || !response.conversationId) {
      throw new DialRejectedError(`ElevenLabs refused the call: ${response.message}`);
    }
    return { providerCallId: response.conversationId };
  }

  async hangUp(_providerCallId: string): Promise<void> {
    // ElevenLabs has no REST hang-up for a live conversation; the agent's end_call tool does it
    // on the next turn (the flow-turn answer carries end_call: true).
    return Promise.resolve();
  }

  async fetchRecording(conversationId: string): Promise<Recording | undefined> {
    let stream: ReadableStream<Uint8Array>;
    try {
      stream = await this.client.conversationalAi.conversations.audio.get(conversationId, {
        maxRetries: 1,
        timeoutInSeconds: 30,
      });
    } catch (error) {
      if (error instanceof ElevenLabsError && (error.statusCode === 404 || error.statusCode === 422)) return undefined;
      throw error;
    }
    const bytes = Buffer.from(await new Response(stream).arrayBuffer());
    // The SDK hands over the body only; ElevenLabs records MP3, a WAV starts with RIFF.
    const contentType = bytes.subarray(0, 4).toString('latin1') === 'RIFF' ? 'audio/wav' : 'audio/mpeg';
    return { contentType, bytes };
  }

  async fetchCall(ref: { providerCallId?: string; callId: string }): Promise<ProviderCallSnapshot> {
    const conversationId = ref.providerCallId ?? (await this.findConversationId(ref.callId));
    if (!conversationId) return { found: false, final: false, facts: [] };
    try {
      const conversation = fromSdk(await this.client.conversationalAi.conversations.get(conversationId));
      const facts = conversationFacts(conversation);
      // A live conversation was answered: the workflow must not treat a hang-up as a ringing cancel.
      const live = conversation.status === 'in-progress' || conversation.status === 'processing';
      const answered: CallFact[] =
        live && conversation.startTimeUnixSecs !== undefined
          ? [
              {
                kind: 'answered',
                key: `elevenlabs:answered:${conversationId}`,
                at: new Date(conversation.startTimeUnixSecs * 1000).toISOString(),
              },
            ]
          : [];
      return {
        found: true,
        final: facts.length > 0,
        facts: [
          {
            kind: 'dial_accepted',
            key: `dial_accepted:${ref.callId}`,
            at: new Date((conversation.startTimeUnixSecs ?? 0) * 1000).toISOString(),
            provider: 'elevenlabs',
            providerCallId: conversationId,
          },
          ...answered,
          ...facts,
        ],
      };
    } catch (error) {
      if (error instanceof ElevenLabsError && error.statusCode === 404)
        return { found: false, final: false, facts: [] };
      throw error;
    }
  }

  /** A dial whose answer was lost is found by the call_id dynamic variable we sent with it. */
  private async findConversationId(callId: string): Promise<string | undefined> {
    const page = await this.client.conversationalAi.conversations.list({
      agentId: this.settings.agentId,
      dynamicVariableParams: `call_id:eq:${callId}`,
      pageSize: 5,
    });
    return page.conversations[0]?.conversationId;
  }
}

/** 4xx means no call exists; anything else (timeout, 5xx, reset) leaves the dial's result unknown. */
function classifyDialError(error: unknown): Error {
  if (error instanceof ElevenLabsTimeoutError)
    return new DialOutcomeUnknownError(`dial timed out: ${error.message}`);
  if (
    error instanceof ElevenLabsError &&
    error.statusCode !== undefined &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    return new DialRejectedError(`ElevenLabs answered ${error.statusCode}: ${JSON.stringify(error.body)}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DialOutcomeUnknownError(`dial result unknown: ${message}`);
}
