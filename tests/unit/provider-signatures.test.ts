import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAsteriskToken } from '../../activities/providers/asterisk/signature';
import { verifyElevenLabsSignature, verifyToolSecret } from '../../activities/providers/elevenlabs/signature';
import { safeEqual, tokenMatches } from '../../activities/providers/signature';
import {
  ultravoxWebhookSecrets,
  verifyUltravoxSignature,
} from '../../activities/providers/ultravox/signature';
import { signElevenLabs, signUltravox } from '../../infra/dev/simulator/webhook-signer';

const body = Buffer.from(
  '{"type":"post_call_transcription","event_timestamp":1739537297,"data":{"conversation_id":"conv_1"}}',
);
const secret = 'wsec_test_secret';
const now = 1_739_537_300;

function hmac(key: string, ...parts: (string | Buffer)[]): string {
  const h = createHmac('sha256', key);
  for (const part of parts) h.update(part);
  return h.digest('hex');
}

/** Built by hand here, not through the simulator's signer, so the test checks the documented format. */
function elevenLabsHeader(t: number, key = secret, payload: Buffer = body): string {
  return `t=${t},v0=${hmac(key, `${t}.`, payload)}`;
}

describe('verifyElevenLabsSignature', () => {
  it('accepts a valid signature and returns its timestamp', () => {
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now - 10), secret, now)).toEqual({
      ok: true,
      timestamp: now - 10,
    });
  });

  it('accepts whitespace after commas and any of several v0 entries', () => {
    const good = hmac(secret, `${now}.`, body);
    const header = `t=${now}, v0=${'0'.repeat(64)}, v0=${good}`;
    expect(verifyElevenLabsSignature(body, header, secret, now)).toEqual({ ok: true, timestamp: now });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now, 'other'), secret, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(body.toString().replace('conv_1', 'conv_2'));
    expect(verifyElevenLabsSignature(tampered, elevenLabsHeader(now), secret, now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a signature whose timestamp was changed', () => {
    const header = elevenLabsHeader(now).replace(`t=${now}`, `t=${now - 1}`);
    expect(verifyElevenLabsSignature(body, header, secret, now)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('accepts 30 minutes of age and refuses one second more', () => {
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now - 1800), secret, now).ok).toBe(true);
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now - 1801), secret, now)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a timestamp beyond the tolerance in the future', () => {
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now + 1801), secret, now)).toEqual({
      ok: false,
      reason: 'future',
    });
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now + 60), secret, now).ok).toBe(true);
  });

  it('honours a custom tolerance', () => {
    expect(verifyElevenLabsSignature(body, elevenLabsHeader(now - 301), secret, now, 300)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('reports a missing header', () => {
    expect(verifyElevenLabsSignature(body, undefined, secret, now)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyElevenLabsSignature(body, '  ', secret, now)).toEqual({ ok: false, reason: 'missing' });
  });

  it.each([
    ['no timestamp', `v0=${'a'.repeat(64)}`],
    ['no v0', `t=${now}`],
    ['non-numeric timestamp', `t=soon,v0=${'a'.repeat(64)}`],
    ['v0 not hex', `t=${now},v0=${'z'.repeat(64)}`],
    ['v0 too short', `t=${now},v0=abc`],
    ['no equals sign', `t${now}`],
    ['two timestamps', `t=${now},t=${now},v0=${'a'.repeat(64)}`],
    ['only a v1 scheme', `t=${now},v1=${'a'.repeat(64)}`],
  ])('reports a malformed header (%s)', (_name, header) => {
    expect(verifyElevenLabsSignature(body, header, secret, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('verifyUltravoxSignature', () => {
  const timestamp = new Date(now * 1000).toISOString();
  const sig = (key: string, ts = timestamp, payload: Buffer = body) => hmac(key, payload, ts);

  it('accepts a valid signature over body followed by the timestamp', () => {
    expect(verifyUltravoxSignature(body, sig(secret), timestamp, [secret], now)).toEqual({
      ok: true,
      timestamp: now,
    });
  });

  it('accepts a rotated key: the old and the new signature listed, either secret configured', () => {
    const header = `${sig('old-key')},${sig('new-key')}`;
    expect(verifyUltravoxSignature(body, header, timestamp, ['new-key'], now).ok).toBe(true);
    expect(verifyUltravoxSignature(body, header, timestamp, ['old-key'], now).ok).toBe(true);
    expect(verifyUltravoxSignature(body, sig('old-key'), timestamp, ['new-key', 'old-key'], now).ok).toBe(
      true,
    );
    expect(verifyUltravoxSignature(body, header, timestamp, ['third-key'], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('rejects a wrong secret, a tampered body and a changed timestamp', () => {
    expect(verifyUltravoxSignature(body, sig('other'), timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const tampered = Buffer.from(`${body.toString()} `);
    expect(verifyUltravoxSignature(tampered, sig(secret), timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    const later = new Date((now + 1) * 1000).toISOString();
    expect(verifyUltravoxSignature(body, sig(secret), later, [secret], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('fails closed with no secret configured', () => {
    expect(verifyUltravoxSignature(body, sig(secret), timestamp, [], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyUltravoxSignature(body, sig(''), timestamp, [''], now)).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses stale and future timestamps (5 minutes by default)', () => {
    const old = new Date((now - 301) * 1000).toISOString();
    const ahead = new Date((now + 301) * 1000).toISOString();
    expect(verifyUltravoxSignature(body, sig(secret, old), old, [secret], now)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyUltravoxSignature(body, sig(secret, ahead), ahead, [secret], now)).toEqual({
      ok: false,
      reason: 'future',
    });
    const edge = new Date((now - 300) * 1000).toISOString();
    expect(verifyUltravoxSignature(body, sig(secret, edge), edge, [secret], now).ok).toBe(true);
  });

  it('accepts a unix-seconds timestamp as well', () => {
    expect(verifyUltravoxSignature(body, sig(secret, String(now)), String(now), [secret], now).ok).toBe(true);
  });

  it('reports missing headers', () => {
    expect(verifyUltravoxSignature(body, undefined, timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(verifyUltravoxSignature(body, sig(secret), undefined, [secret], now)).toEqual({
      ok: false,
      reason: 'missing',
    });
    expect(verifyUltravoxSignature(body, '', timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'missing',
    });
  });

  it('reports malformed headers', () => {
    expect(verifyUltravoxSignature(body, 'not-hex', timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyUltravoxSignature(body, ',', timestamp, [secret], now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
    expect(verifyUltravoxSignature(body, sig(secret), 'yesterday', [secret], now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('reads the configured secrets as a comma-separated list', () => {
    expect(ultravoxWebhookSecrets(' old-key, new-key ,,')).toEqual(['old-key', 'new-key']);
    expect(ultravoxWebhookSecrets(undefined)).toEqual([]);
  });
});

describe('shared tokens: Asterisk X-Webhook-Token and X-Tool-Secret', () => {
  it('accepts the configured token only', () => {
    expect(verifyAsteriskToken('ast-token-1', 'ast-token-1')).toBe(true);
    expect(verifyAsteriskToken('ast-token-2', 'ast-token-1')).toBe(false);
    expect(verifyAsteriskToken(undefined, 'ast-token-1')).toBe(false);
    expect(verifyToolSecret('tool-secret', 'tool-secret')).toBe(true);
    expect(verifyToolSecret('tool-secre', 'tool-secret')).toBe(false);
    expect(verifyToolSecret(undefined, 'tool-secret')).toBe(false);
  });

  it('refuses everything when no token is configured', () => {
    expect(verifyAsteriskToken('', undefined)).toBe(false);
    expect(verifyAsteriskToken('', '')).toBe(false);
    expect(tokenMatches('anything', undefined)).toBe(false);
  });
});

/**
 * The simulator signs as the providers document it with code of its own: each of its signatures
 * passing the provider's verifier shows both follow the scheme, not one shared implementation.
 */
describe("the simulator's signer against the providers' verifiers", () => {
  it('ElevenLabs: the documented header, and verified', () => {
    const text = body.toString();
    const header = signElevenLabs(text, secret, now);
    expect(header).toBe(elevenLabsHeader(now));
    expect(verifyElevenLabsSignature(Buffer.from(text), header, secret, now)).toEqual({
      ok: true,
      timestamp: now,
    });
    expect(verifyElevenLabsSignature(Buffer.from(text), header, 'other-secret', now).ok).toBe(false);
  });

  it('Ultravox: the documented signature, and verified', () => {
    const text = body.toString();
    const timestamp = new Date(now * 1000).toISOString();
    const signature = signUltravox(text, secret, timestamp);
    expect(signature).toBe(hmac(secret, body, timestamp));
    expect(verifyUltravoxSignature(Buffer.from(text), signature, timestamp, [secret], now)).toEqual({
      ok: true,
      timestamp: now,
    });
    expect(verifyUltravoxSignature(Buffer.from(text), signature, timestamp, ['other-secret'], now).ok).toBe(
      false,
    );
  });

  it('non-ASCII bodies: both sign and verify the UTF-8 bytes', () => {
    const text =
      '{"type":"post_call_transcription","data":{"conversation_id":"conv_ş","note":"Evet, yarın 💬"}}';
    const t = now - 5;
    expect(
      verifyElevenLabsSignature(Buffer.from(text, 'utf8'), signElevenLabs(text, secret, t), secret, now).ok,
    ).toBe(true);
    const timestamp = String(now);
    expect(
      verifyUltravoxSignature(
        Buffer.from(text, 'utf8'),
        signUltravox(text, secret, timestamp),
        timestamp,
        [secret],
        now,
      ).ok,
    ).toBe(true);
  });
});

describe('safeEqual', () => {
  it('compares equal, different and different-length strings', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
    expect(safeEqual('é', 'e')).toBe(false);
  });
});
