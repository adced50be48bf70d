import { randomUUID } from 'node:crypto';
import { asRecord, type RouteRequest, type RouteResult } from './routing';

/** How the simulated model misbehaves, for the fallback tests; undefined answers normally. */
export type LabelModelFault = 'error' | 'timeout' | 'not_a_label';

export interface LabelModelState {
  fault?: LabelModelFault;
}

/**
 * What the simulated model understands beyond the keyword lists: paraphrases a person would use.
 * Anything else is UNKNOWN, so keyword answers still decide through the fallback.
 */
const PARAPHRASES: [RegExp, string][] = [
  [/hallederim|merak etmeyin|i will take care of it/i, 'YES'],
  [/hiç niyetim yok|no way/i, 'NO'],
  [/haftaya|next week/i, 'LATER'],
  [/bir daha rahatsız etmeyin|stop calling/i, 'DONT_CALL'],
  [/bir insanla|a real person/i, 'ASK_AGENT'],
];

/** Long enough that any sane client timeout fires first. */
const TIMEOUT_DELAY_MS = 30_000;

/** OpenAI chat completions, as LLM_LABEL_ONLY mode calls it (`POST /v1/chat/completions`). */
export function handleLabelModel(state: LabelModelState, request: RouteRequest): RouteResult | undefined {
  if (request.path !== '/v1/chat/completions') return undefined;
  if (request.method !== 'POST') return { status: 405, body: { error: { message: 'Method not allowed' } } };
  const body = asRecord(request.body);
  const messages = Array.isArray(body.messages) ? body.messages.map(asRecord) : [];
  const lastUser = messages.filter((m) => m.role === 'user').at(-1);
  if (typeof body.model !== 'string' || typeof lastUser?.content !== 'string') {
    return {
      status: 400,
      body: { error: { message: 'model and messages are required', type: 'invalid_request_error' } },
    };
  }
  switch (state.fault) {
    case 'error':
      return { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } };
    case 'timeout':
      return { status: 200, body: completion(body.model, 'YES'), delayMs: TIMEOUT_DELAY_MS };
    case 'not_a_label':
      return { status: 200, body: completion(body.model, 'I think the customer is happy.') };
    case undefined: {
      const answer = /^Answer: (.*)$/m.exec(lastUser.content)?.[1] ?? '';
      const label = PARAPHRASES.find(([pattern]) => pattern.test(answer))?.[1] ?? 'UNKNOWN';
      return { status: 200, body: completion(body.model, label) };
    }
  }
}

function completion(model: string, content: string) {
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 60, completion_tokens: 1, total_tokens: 61 },
  };
}
