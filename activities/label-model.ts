import type { LabelModel, LabelModelResult } from '../domain/classifier';
import { LABELS, type Label, type Language } from '../domain/vocabulary';
import type { AppConfig } from '../infra/config/config';
import { isRecord } from './providers/http';

export interface LabelModelOptions {
  /** An OpenAI-compatible API root: `${baseUrl}/v1/chat/completions` is called. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

const LANGUAGE_NAMES: Record<Language, string> = { tr: 'Turkish', en: 'English' };

/** The model labels; it never writes the reply (the script does) and never owns state (seed 004). */
const SYSTEM_PROMPT =
  'You label one answer a person gave on a scripted reminder phone call. ' +
  `Reply with exactly one word from: ${LABELS.join(', ')}. ` +
  'YES agrees, NO refuses, LATER asks to be called another time, DONT_CALL asks never to be called again, ' +
  'ASK_AGENT asks for a human or asks something the script cannot answer, UNKNOWN is anything else.';

/**
 * LLM_LABEL_ONLY mode's model, over the OpenAI chat-completions protocol (which most hosted and
 * local model servers speak). Every failure (timeout, HTTP error, an answer that is not a label) is
 * `{ ok: false }`: the turn then falls back to the keyword classifier.
 */
export function createLabelModel(options: LabelModelOptions): LabelModel {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`;
  return {
    async label(text: string, language: Language, question?: string): Promise<LabelModelResult> {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            temperature: 0,
            max_tokens: 5,
            messages: [
              { role: 'system', content: SYSTEM_PROMPT },
              {
                role: 'user',
                content:
                  `Language: ${LANGUAGE_NAMES[language]}\n` +
                  (question ? `Question: ${question}\n` : '') +
                  `Answer: ${text}`,
              },
            ],
          }),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        if (!response.ok) return { ok: false };
        return parseLabel(await response.json());
      } catch {
        return { ok: false };
      }
    },
  };
}

/** The first label word in the first choice's message; anything else is no answer. */
export function parseLabel(body: unknown): LabelModelResult {
  const choices = isRecord(body) && Array.isArray(body.choices) ? body.choices : [];
  const message: unknown = isRecord(choices[0]) ? choices[0].message : undefined;
  const content = isRecord(message) && typeof message.content === 'string' ? message.content : '';
  const word = /\b(YES|NO|LATER|DONT_CALL|ASK_AGENT|UNKNOWN)\b/.exec(content.toUpperCase())?.[1];
  return word ? { ok: true, label: word as Label } : { ok: false };
}

/** The configured model, or none: campaigns in LLM_LABEL_ONLY mode are then refused at creation. */
export function labelModelFromConfig(config: AppConfig): LabelModel | undefined {
  if (!config.LABEL_MODEL_BASE_URL) return undefined;
  return createLabelModel({
    baseUrl: config.LABEL_MODEL_BASE_URL,
    ...(config.LABEL_MODEL_API_KEY ? { apiKey: config.LABEL_MODEL_API_KEY } : {}),
    model: config.LABEL_MODEL_NAME,
    timeoutMs: config.LABEL_MODEL_TIMEOUT_MS,
  });
}
