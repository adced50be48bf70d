import { DialOutcomeUnknownError, DialRejectedError } from './provider';

export type FetchLike = typeof fetch;

/** A provider answered with a status we did not expect. */
export class ProviderHttpError extends Error {
  override readonly name = 'ProviderHttpError';
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`);
  }
}

export interface JsonResponse {
  status: number;
  body: unknown;
  text: string;
}

/** One request, no retry: callers decide what a failure means (a dial must never be repeated). */
export async function requestJson(
  fetchImpl: FetchLike,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<JsonResponse> {
  const response = await fetchImpl(url, {
    method: init.method,
    headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  const text = await response.text();
  let body: unknown = undefined;
  if (text !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: response.status, body, text };
}

/** 4xx: the provider refused, no call exists. Anything else (timeout, 5xx, reset): unknown. */
export function classifyDialFailure(provider: string, result: unknown): Error {
  if (isResponse(result)) {
    if (result.status >= 400 && result.status < 500) {
      return new DialRejectedError(
        `${provider} refused the call (${result.status}): ${result.text.slice(0, 300)}`,
      );
    }
    return new DialOutcomeUnknownError(`${provider} answered ${result.status}: ${result.text.slice(0, 300)}`);
  }
  const message = result instanceof Error ? result.message : String(result);
  return new DialOutcomeUnknownError(`${provider} dial result unknown: ${message}`);
}

function isResponse(value: unknown): value is JsonResponse {
  return typeof value === 'object' && value !== null && 'status' in value && 'text' in value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
