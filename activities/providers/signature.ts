import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailureReason = 'missing' | 'malformed' | 'stale' | 'future' | 'mismatch';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailureReason };

export const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Constant-time string comparison. A length difference returns false after a comparison of the same
 * cost as an equal-length one, so the time taken does not say how much of a prefix matched.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/**
 * A shared token sent as is (a header, a bearer token). Nothing configured refuses everything: an
 * open endpoint would let anyone act as the sender.
 */
export function tokenMatches(received: string | undefined, expected: string | undefined): boolean {
  return !!expected && received !== undefined && safeEqual(received, expected);
}

export function hmacSha256Hex(secret: string, ...parts: (Buffer | string)[]): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/**
 * The window is symmetric: a timestamp further than the tolerance in the future is refused too,
 * because only a signer with a wrong clock (or a replay tool) produces one.
 */
export function checkWindow(timestamp: number, nowSeconds: number, toleranceSeconds: number): SignatureCheck {
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, reason: 'stale' };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, reason: 'future' };
  return { ok: true, timestamp };
}

/** Compares every candidate, so the time taken does not depend on which one matched. */
export function anyMatches(expected: string, candidates: readonly string[]): boolean {
  let matched = false;
  for (const candidate of candidates) matched = safeEqual(expected, candidate.toLowerCase()) || matched;
  return matched;
}
