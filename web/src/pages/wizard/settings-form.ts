import type { CampaignConfig } from '../../client/types';

/** The settings as typed: text, so that a value the API refuses stays on screen to be corrected. */
export interface SettingsForm {
  name: string;
  callType: CampaignConfig['callType'];
  provider: CampaignConfig['provider'];
  language: CampaignConfig['language'];
  defaultCountry: string;
  timezone: string;
  start: string;
  end: string;
  days: number[];
  maxConcurrentCalls: string;
  callsPerSecond: string;
  maxAttempts: string;
  busyDelayMinutes: string;
  noAnswerDelayMinutes: string;
  retryVoicemail: boolean;
  transferNumber: string;
}

export function formOf(config: CampaignConfig): SettingsForm {
  return {
    name: config.name,
    callType: config.callType,
    provider: config.provider,
    language: config.language,
    defaultCountry: config.defaultCountry,
    timezone: config.timezone,
    start: config.callingWindow.start,
    end: config.callingWindow.end,
    days: config.callingWindow.days,
    maxConcurrentCalls: String(config.maxConcurrentCalls),
    callsPerSecond: String(config.callsPerSecond),
    maxAttempts: String(config.retry.maxAttempts),
    busyDelayMinutes: String(config.retry.busyDelayMinutes),
    noAnswerDelayMinutes: String(config.retry.noAnswerDelayMinutes),
    retryVoicemail: config.retry.retryVoicemail,
    transferNumber: config.transferNumber ?? '',
  };
}

/** An empty number is left to the API's default; anything else is sent as typed, for the API to judge. */
const number = (text: string) => (text.trim() === '' ? undefined : Number(text.replace(',', '.')));

/**
 * The whole config PUT /config replaces: what the step does not show (mapping, sheet, timing …)
 * is kept from the draft.
 */
export function configOf(config: CampaignConfig, form: SettingsForm) {
  const { transferNumber: _previous, ...rest } = config;
  return {
    ...rest,
    name: form.name,
    callType: form.callType,
    provider: form.provider,
    language: form.language,
    defaultCountry: form.defaultCountry.trim().toUpperCase(),
    timezone: form.timezone.trim(),
    callingWindow: { start: form.start.trim(), end: form.end.trim(), days: [...form.days].sort((a, b) => a - b) },
    maxConcurrentCalls: number(form.maxConcurrentCalls),
    callsPerSecond: number(form.callsPerSecond),
    retry: {
      maxAttempts: number(form.maxAttempts),
      busyDelayMinutes: number(form.busyDelayMinutes),
      noAnswerDelayMinutes: number(form.noAnswerDelayMinutes),
      retryVoicemail: form.retryVoicemail,
    },
    ...(form.transferNumber.trim() ? { transferNumber: form.transferNumber.trim() } : {}),
  };
}
