import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailureReason = 'missing' | 'malformed' | 'stale' | 'future' | 'mismatch';

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: SignatureFailureReason };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

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

function hmacHex(secret: string, ...parts: (Buffer | string)[]): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

function checkWindow(timestamp: number, nowSeconds: number, toleranceSeconds: number): SignatureCheck {
  if (nowSeconds - timestamp > toleranceSeconds) return { ok: false, reason: 'stale' };
  if (timestamp - nowSeconds > toleranceSeconds) return { ok: false, reason: 'future' };
  return { ok: true, timestamp };
}

/** `ElevenLabs-Signature: t=<unix seconds>,v0=<hex HMAC-SHA256 of "<t>.<raw body>">`. */
export function signElevenLabs(body: Buffer | string, secret: string, t: number): string {
  return `t=${t},v0=${hmacHex(secret, `${t}.`, body)}`;
}

/**
 * Verifies an ElevenLabs webhook against the raw body. Several `v0=` entries are accepted (any one
 * matching). The window is symmetric: a timestamp further than the tolerance in the future is refused
 * too, because only a signer with a wrong clock (or a replay tool) produces one.
 */
export function verifyElevenLabsSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 1800,
): SignatureCheck {
  if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  let t: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'malformed' };
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined) return { ok: false, reason: 'malformed' };
      t = value;
    } else if (key === 'v0') {
      signatures.push(value);
    }
  }
  if (t === undefined || !/^\d{1,12}$/.test(t) || signatures.length === 0) {
    return { ok: false, reason: 'malformed' };
  }
  if (!signatures.every((s) => HEX_SHA256.test(s))) return { ok: false, reason: 'malformed' };
  const timestamp = Number(t);
  const window = checkWindow(timestamp, nowSeconds, toleranceSeconds);
  if (!window.ok) return window;
  const expected = hmacHex(secret, `${t}.`, rawBody);
  // Every candidate is compared, so the time does not depend on which one matched.
  let matched = false;
  for (const candidate of signatures) matched = safeEqual(expected, candidate.toLowerCase()) || matched;
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}

/** `X-Ultravox-Webhook-Signature`: hex HMAC-SHA256 of the raw body followed directly by the timestamp header. */
export function signUltravox(body: Buffer | string, secret: string, timestamp: string): string {
  return hmacHex(secret, body, timestamp);
}

/** Ultravox sends an ISO-8601 time; plain unix seconds are accepted as well. */
function parseUltravoxTimestamp(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d{1,12}(\.\d+)?$/.test(trimmed)) return Math.floor(Number(trimmed));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * Verifies an Ultravox webhook. The signature header may list several signatures separated by commas
 * (Ultravox signs with every active key while one is being rotated); `secrets` lists the keys we accept.
 * Any signature matching any secret passes.
 */
export function verifyUltravoxSignature(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  timestampHeader: string | undefined,
  secrets: string[],
  nowSeconds: number,
  toleranceSeconds = 300,
): SignatureCheck {
  if (signatureHeader === undefined || signatureHeader.trim() === '') return { ok: false, reason: 'missing' };
  if (timestampHeader === undefined || timestampHeader.trim() === '') return { ok: false, reason: 'missing' };
  const signatures = signatureHeader
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (signatures.length === 0 || !signatures.every((s) => HEX_SHA256.test(s))) {
    return { ok: false, reason: 'malformed' };
  }
  const timestamp = parseUltravoxTimestamp(timestampHeader);
  if (timestamp === undefined) return { ok: false, reason: 'malformed' };
  const window = checkWindow(timestamp, nowSeconds, toleranceSeconds);
  if (!window.ok) return window;
  let matched = false;
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = hmacHex(secret, rawBody, timestampHeader);
    for (const candidate of signatures) matched = safeEqual(expected, candidate.toLowerCase()) || matched;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
