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
export function retryDelayMinutes(outcome: CallOutcome | null, attempt: number, settings: RetrySettings): number | null {
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
    case 'dnc_blocked':
    case 'cancelled':
    case null:
      return null;
  }
}
