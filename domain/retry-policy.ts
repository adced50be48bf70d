import type { CallOutcome } from './vocabulary';

export interface RetrySettings {
  maxAttempts: number;
  busyDelayMinutes: number;
  noAnswerDelayMinutes: number;
  retryVoicemail: boolean;
}

export const DEFAULT_RETRY: RetrySettings = {
  maxAttempts: 3,
  busyDelayMinutes: 30,
  noAnswerDelayMinutes: 30,
  retryVoicemail: false,
};

/**
 * Minutes until the next attempt, or null when the contact is done. Only outcomes where a later
 * try can reach the person are retried; a DONT_CALL, a success or a final label never are.
 */
export function retryDelayMinutes(
  outcome: CallOutcome | null,
  attempt: number,
  settings: RetrySettings,
): number | null {
  if (attempt >= settings.maxAttempts) return null;
  switch (outcome) {
    case 'busy':
      return settings.busyDelayMinutes;
    case 'no_answer':
      return settings.noAnswerDelayMinutes;
    case 'voicemail':
      return settings.retryVoicemail ? settings.noAnswerDelayMinutes : null;
    case 'success':
    case 'failed':
    case 'transferred':
    case 'callback_scheduled':
    case 'opted_out':
    case 'dnc_blocked':
    case 'cancelled':
    case null:
      return null;
  }
}

/** Follow-ups a contact may get on top of its retries (each LATER answer asks for one). */
export const MAX_FOLLOWUPS = 2;

export interface AttemptResult {
  outcome: CallOutcome | null;
  label: string | null;
  /** ISO time the called party asked to be called again (LATER). */
  followupAt?: string | undefined;
}

export type NextAttempt = { kind: 'retry' | 'followup'; notBefore: number } | null;

/**
 * What happens to a contact after an attempt: nothing (final), a retry after the outcome's delay,
 * or a follow-up at the time the person asked for. DONT_CALL and success are final whatever else
 * the result says; a follow-up is never earlier than now.
 */
export function nextAttempt(
  result: AttemptResult,
  attempt: number,
  followupsSoFar: number,
  settings: RetrySettings,
  nowMs: number,
): NextAttempt {
  if (result.label === 'DONT_CALL' || result.outcome === 'dnc_blocked') return null;
  if (result.label === 'LATER' && result.followupAt) {
    const at = Date.parse(result.followupAt);
    if (Number.isNaN(at) || followupsSoFar >= MAX_FOLLOWUPS) return null;
    return { kind: 'followup', notBefore: Math.max(at, nowMs) };
  }
  if (result.outcome === 'success' || result.label !== null) return null;
  const delay = retryDelayMinutes(result.outcome, attempt, settings);
  return delay === null ? null : { kind: 'retry', notBefore: nowMs + delay * 60_000 };
}
