import type { IncomingHttpHeaders } from 'node:http';

export interface RouteRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** `destroy` closes the connection without an answer: the client cannot know whether the dial happened. */
export type RouteResult = (
  | { status: number; body?: unknown }
  /** A binary body (audio) sent as is. */
  | { status: number; bytes: Buffer; contentType: string }
  | { destroy: true }
) & {
  /** Wait this long before answering (or dropping the connection). */
  delayMs?: number;
};

export function header(request: RouteRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
