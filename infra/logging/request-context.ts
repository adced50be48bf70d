import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';

const requests = new AsyncLocalStorage<{ requestId: string }>();

/** A caller's id is kept when it is a plain token; anything else (or none) gets a new one. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && ACCEPTED_ID.test(given) ? given : randomUUID();
}

/** Runs `fn` as part of the request `requestId`: what it starts in Temporal carries the id. */
export function runInRequest<T>(requestId: string, fn: () => T): T {
  return requests.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}
