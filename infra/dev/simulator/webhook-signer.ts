import { createHmac } from 'node:crypto';

// Signs as each provider documents it, sharing no code with Outdial's verifiers
// (activities/providers/<name>/signature.ts): a fault in either is a refused webhook, not one
// that agrees with itself.

/** `ElevenLabs-Signature`: `t=<unix seconds>,v0=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signElevenLabs(body: string, secret: string, t: number): string {
  return `t=${t},v0=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

/** `X-Ultravox-Webhook-Signature`: hex HMAC-SHA256 of the body followed directly by the timestamp header. */
export function signUltravox(body: string, secret: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(body + timestamp)
    .digest('hex');
}
