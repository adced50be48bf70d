import {
  anyMatches,
  checkWindow,
  HEX_SHA256,
  hmacSha256Hex,
  tokenMatches,
  type SignatureCheck,
} from '../signature';

/**
 * Verifies a post-call webhook's `ElevenLabs-Signature: t=<unix seconds>,v0=<hex HMAC-SHA256 of
 * "<t>.<raw body>">` against the raw body, within 30 minutes either way. Several `v0=` entries are
 * accepted (any one matching).
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
  return anyMatches(hmacSha256Hex(secret, `${t}.`, rawBody), signatures)
    ? { ok: true, timestamp }
    : { ok: false, reason: 'mismatch' };
}

/**
 * `X-Tool-Secret`: the server tools (ElevenLabs', and Ultravox's flow_turn tool, which calls the
 * same endpoint) and the conversation-initiation webhook send the tool secret as is.
 */
export function verifyToolSecret(header: string | undefined, secret: string): boolean {
  return tokenMatches(header, secret);
}
