import type { PhoneParseFailure, PhoneParseResult } from '../../domain/phone';

/** Raw phone cells sent to the phone worker. */
export interface PhoneBatch {
  id: number;
  country: string;
  values: string[];
}

/** One encoded result per value, in order. */
export interface PhoneBatchReply {
  id: number;
  results: string[];
}

/**
 * A result as one string, cheap to pass between threads: the E.164 number, or the failure reason
 * (an E.164 number always starts with "+", a reason never does).
 */
export function encodePhoneResult(result: PhoneParseResult): string {
  return result.ok ? result.e164 : result.reason;
}

export function decodePhoneResult(encoded: string): PhoneParseResult {
  return encoded.startsWith('+')
    ? { ok: true, e164: encoded }
    : { ok: false, reason: encoded as PhoneParseFailure };
}
