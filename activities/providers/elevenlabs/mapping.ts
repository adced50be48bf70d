import type { CallFact, PostCallAnalysis, TranscriptTurn } from '../../../domain/call-facts';
import { isRecord, num, str } from '../http';

/** The conversation fields Outdial reads, whether from a post-call webhook or a conversation GET. */
export interface ElevenLabsConversation {
  conversationId: string;
  status: string;
  callId: string | undefined;
  startTimeUnixSecs: number | undefined;
  callDurationSecs: number | undefined;
  cost: number | undefined;
  terminationReason: string | undefined;
  transcript: TranscriptTurn[];
  summary: string | undefined;
  analysis: PostCallAnalysis | undefined;
  /** The number the agent's transfer_to_number system tool connected the person to, if it did. */
  transferredTo: string | undefined;
  /** The transfer_to_number tool's error, when the agent tried and the human was not reached. */
  transferError?: { to: string; error: string };
  /** The agent called its voicemail_detection system tool. */
  voicemailToolCalled: boolean;
}

/** The voicemail_detection system tool's name in a transcript's tool calls and results. */
export const VOICEMAIL_TOOL = 'voicemail_detection';
/** Its result's `result_type`, which stays the same if the agent gave the tool another name. */
export const VOICEMAIL_RESULT_TYPE = 'voicemail_detection_success';

const FINAL_STATUSES = new Set(['done', 'failed']);

function toIso(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString();
}

/** Reads the snake_case `data` of a post_call_transcription webhook (and of the REST API). */
export function conversationFromWire(data: Record<string, unknown>): ElevenLabsConversation {
  const metadata = isRecord(data.metadata) ? data.metadata : {};
  const clientData = isRecord(data.conversation_initiation_client_data)
    ? data.conversation_initiation_client_data
    : {};
  const variables = isRecord(clientData.dynamic_variables) ? clientData.dynamic_variables : {};
  const analysis = isRecord(data.analysis) ? data.analysis : {};
  const transcript = Array.isArray(data.transcript) ? data.transcript.filter(isRecord) : [];
  return {
    conversationId: String(data.conversation_id),
    status: str(data.status) ?? 'unknown',
    callId: str(variables.call_id),
    startTimeUnixSecs: num(metadata.start_time_unix_secs),
    callDurationSecs: num(metadata.call_duration_secs),
    cost: num(metadata.cost),
    terminationReason: str(metadata.termination_reason),
    transcript: transcript.map((turn) => ({
      role: turn.role === 'agent' ? 'agent' : 'user',
      message: typeof turn.message === 'string' ? turn.message : '',
      ...(num(turn.time_in_call_secs) === undefined ? {} : { timeInCallSecs: num(turn.time_in_call_secs) }),
    })),
    summary: str(analysis.transcript_summary),
    analysis: analysisFromWire(analysis),
    transferredTo: transferredTo(transcript),
    ...transferError(transcript),
    voicemailToolCalled: voicemailToolCalled(transcript),
  };
}

/** `evaluation_criteria_results` and `data_collection_results`, keyed by criterion and field id. */
function analysisFromWire(analysis: Record<string, unknown>): PostCallAnalysis | undefined {
  const criteria = isRecord(analysis.evaluation_criteria_results) ? analysis.evaluation_criteria_results : {};
  const collected = isRecord(analysis.data_collection_results) ? analysis.data_collection_results : {};
  const evaluation = Object.entries(criteria).map(([id, value]) => {
    const entry = isRecord(value) ? value : {};
    return {
      criterion: str(entry.criteria_id) ?? id,
      result: str(entry.result) ?? 'unknown',
      rationale: str(entry.rationale) ?? null,
    };
  });
  const dataCollection = Object.entries(collected).map(([id, value]) => {
    const entry = isRecord(value) ? value : {};
    return {
      field: str(entry.data_collection_id) ?? id,
      value: entry.value ?? null,
      rationale: str(entry.rationale) ?? null,
    };
  });
  return evaluation.length + dataCollection.length > 0 ? { evaluation, dataCollection } : undefined;
}

/**
 * A successful transfer_to_number system tool call, as the transcript reports it: a tool result whose
 * `result` is one of the `transfer_to_number_*_success` types (Twilio, SIP, ...) with `transfer_number`.
 */
function transferredTo(transcript: Record<string, unknown>[]): string | undefined {
  for (const turn of transcript) {
    const results = Array.isArray(turn.tool_results) ? turn.tool_results.filter(isRecord) : [];
    for (const toolResult of results) {
      const result = isRecord(toolResult.result) ? toolResult.result : undefined;
      const type = str(result?.result_type);
      if (toolResult.tool_name !== 'transfer_to_number' || toolResult.is_error === true || !result) continue;
      if (type?.startsWith('transfer_to_number_') && type.endsWith('_success')) {
        const number = str(result.transfer_number);
        if (number) return number;
      }
    }
  }
  return undefined;
}

/** A transfer_to_number result of type `transfer_to_number_error`, with the number it tried. */
function transferError(transcript: Record<string, unknown>[]): {
  transferError?: { to: string; error: string };
} {
  for (const turn of transcript) {
    const results = Array.isArray(turn.tool_results) ? turn.tool_results.filter(isRecord) : [];
    for (const toolResult of results) {
      const result = isRecord(toolResult.result) ? toolResult.result : undefined;
      if (
        toolResult.tool_name !== 'transfer_to_number' ||
        str(result?.result_type) !== 'transfer_to_number_error'
      )
        continue;
      return {
        transferError: {
          to: str(result?.transfer_number) ?? '',
          error: str(result?.error) ?? 'transfer failed',
        },
      };
    }
  }
  return {};
}

/**
 * The transcript reports the voicemail_detection tool as a tool call and its result. The call alone
 * counts: the line may drop before the result is logged.
 */
function voicemailToolCalled(transcript: Record<string, unknown>[]): boolean {
  return transcript.some((turn) => {
    const calls = Array.isArray(turn.tool_calls) ? turn.tool_calls.filter(isRecord) : [];
    const results = Array.isArray(turn.tool_results) ? turn.tool_results.filter(isRecord) : [];
    return (
      calls.some((call) => call.tool_name === VOICEMAIL_TOOL) ||
      results.some(
        (result) =>
          result.tool_name === VOICEMAIL_TOOL ||
          (isRecord(result.result) && result.result.result_type === VOICEMAIL_RESULT_TYPE),
      )
    );
  });
}

/**
 * The termination reason names the tool ("voicemail_detection tool was called.") only when the tool's
 * own hang-up ended the call; if the line dropped first (a mailbox cutting off the agent's message),
 * only the transcript shows it.
 */
function endedByVoicemail(conversation: ElevenLabsConversation): boolean {
  const reason = conversation.terminationReason;
  return conversation.voicemailToolCalled || (reason !== undefined && /voicemail/i.test(reason));
}

/**
 * Facts for a conversation the provider considers over. Keys depend only on the conversation id,
 * so the webhook and a later poll of the same conversation produce the same facts.
 */
export function conversationFacts(conversation: ElevenLabsConversation): CallFact[] {
  if (!FINAL_STATUSES.has(conversation.status)) return [];
  const { conversationId: id } = conversation;
  const startedAt =
    conversation.startTimeUnixSecs === undefined ? undefined : toIso(conversation.startTimeUnixSecs);
  const endedAt =
    conversation.startTimeUnixSecs === undefined
      ? new Date(0).toISOString()
      : toIso(conversation.startTimeUnixSecs + (conversation.callDurationSecs ?? 0));
  const facts: CallFact[] = [];
  // A conversation that failed before anyone answered is a failed dial, as its call_initiation_failure
  // webhook says (same key). A poll that finds it first, the webhook late or lost, must not read a
  // normal end into it: without this a busy or unreachable number ended as a success.
  const answered = conversation.transcript.some((t) => t.role === 'user');
  if (conversation.status === 'failed' && !answered)
    facts.push(polledInitiationFailure(conversation, endedAt));
  if (conversation.status === 'done' && startedAt && answered) {
    facts.push({ kind: 'answered', key: `elevenlabs:answered:${id}`, at: startedAt });
  }
  facts.push({
    kind: 'ended',
    key: `elevenlabs:ended:${id}`,
    at: endedAt,
    provider: 'elevenlabs',
    ...(conversation.terminationReason === undefined ? {} : { endReason: conversation.terminationReason }),
    voicemailDetected: endedByVoicemail(conversation),
    ...(conversation.callDurationSecs === undefined
      ? {}
      : { durationSeconds: conversation.callDurationSecs }),
    ...(startedAt === undefined ? {} : { startedAt }),
  });
  if (conversation.status === 'done' && conversation.transferredTo !== undefined) {
    facts.push({ kind: 'transferred', key: 'transferred', at: endedAt, to: conversation.transferredTo });
  }
  if (conversation.status === 'done' && conversation.transferError !== undefined) {
    const { to, error } = conversation.transferError;
    facts.push({
      kind: 'transfer',
      key: `elevenlabs:transfer-failed:${id}`,
      at: endedAt,
      stage: 'failed',
      to,
      cause: error,
    });
  }
  facts.push({
    kind: 'post_call_data',
    key: `elevenlabs:post_call:${id}`,
    at: endedAt,
    ...(conversation.callDurationSecs === undefined
      ? {}
      : { durationSeconds: conversation.callDurationSecs }),
    ...(conversation.cost === undefined ? {} : { cost: conversation.cost }),
    transcript: conversation.transcript,
    ...(conversation.summary === undefined ? {} : { summary: conversation.summary }),
    ...(conversation.analysis === undefined ? {} : { analysis: conversation.analysis }),
  });
  return facts;
}

/** The SIP status code carried in a call_initiation_failure's Twilio or SIP metadata, if any. */
export function initiationFailureSipCode(metadata: unknown): number | undefined {
  if (!isRecord(metadata)) return undefined;
  const body = isRecord(metadata.body) ? metadata.body : {};
  for (const candidate of [body.sip_status_code, body.SipResponseCode, body.sip_code, body.status_code]) {
    const code = typeof candidate === 'string' ? Number(candidate) : candidate;
    if (typeof code === 'number' && code >= 100 && code < 700) return code;
  }
  return undefined;
}

/** The failure a polled conversation's termination reason names (`Call failed: busy`), without SIP details. */
function polledInitiationFailure(conversation: ElevenLabsConversation, at: string): CallFact {
  const reason = /^Call failed: (busy|no-answer)\b/.exec(conversation.terminationReason ?? '')?.[1];
  return {
    kind: 'initiation_failure',
    key: `elevenlabs:initiation_failure:${conversation.conversationId}`,
    at,
    failureReason: reason === 'busy' || reason === 'no-answer' ? reason : 'unknown',
  };
}

export function initiationFailureFact(data: Record<string, unknown>, eventTimestamp: number): CallFact {
  const reason = data.failure_reason;
  const sipCode = initiationFailureSipCode(data.metadata);
  return {
    kind: 'initiation_failure',
    key: `elevenlabs:initiation_failure:${String(data.conversation_id)}`,
    at: toIso(eventTimestamp),
    failureReason: reason === 'busy' || reason === 'no-answer' ? reason : 'unknown',
    ...(sipCode === undefined ? {} : { sipCode }),
  };
}

/** The call id we sent with the dial, echoed back in the webhook's client data. */
export function callIdOf(data: Record<string, unknown>): string | undefined {
  const clientData = isRecord(data.conversation_initiation_client_data)
    ? data.conversation_initiation_client_data
    : {};
  const variables = isRecord(clientData.dynamic_variables) ? clientData.dynamic_variables : {};
  return str(variables.call_id);
}
