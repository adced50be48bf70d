import { anyMatches, checkWindow, HEX_SHA256, hmacSha256Hex, type SignatureCheck } from '../signature';

/** Ultravox sends an ISO-8601 time; plain unix seconds are accepted as well. */
function parseTimestamp(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d{1,12}(\.\d+)?$/.test(trimmed)) return Math.floor(Number(trimmed));
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/** `ULTRAVOX_WEBHOOK_SECRET` lists the keys accepted, comma-separated, while one is being rotated. */
export function ultravoxWebhookSecrets(setting: string | undefined): string[] {
  return (setting ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Verifies an Ultravox webhook: `X-Ultravox-Webhook-Signature` is the hex HMAC-SHA256 of the raw
 * body followed directly by `X-Ultravox-Webhook-Timestamp`, within 5 minutes either way. The
 * signature header may list several signatures separated by commas (Ultravox signs with every active
 * key while one is being rotated); any signature matching any of `secrets` passes.
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
  const timestamp = parseTimestamp(timestampHeader);
  if (timestamp === undefined) return { ok: false, reason: 'malformed' };
  const window = checkWindow(timestamp, nowSeconds, toleranceSeconds);
  if (!window.ok) return window;
  let matched = false;
  for (const secret of secrets) {
    if (secret === '') continue;
    matched = anyMatches(hmacSha256Hex(secret, rawBody, timestampHeader), signatures) || matched;
  }
  return matched ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
