import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { campaignConfig, e164, phoneList } from '../support/campaigns';
import { SHORT_TIMING } from '../support/scenario-campaign';

/**
 * The fault suite's campaign: every kind of call a real one makes, picked by each number's last
 * digit, with a slice of the list put on the Do-Not-Call list between upload and start.
 */
export const FAULT_SCENARIOS: readonly ScenarioName[] = [
  'human_yes',
  'voicemail_amd',
  'busy',
  'no_answer',
  'human_agent',
  'human_no',
  'invalid_number',
  'human_dont_call',
  'voicemail_agent',
  'rejected',
];

/** What each scenario's call ends as; the others (a person's NO, an opt-out) need only an outcome. */
export const EXPECTED_OUTCOME: Partial<Record<ScenarioName, string>> = {
  human_yes: 'success',
  voicemail_amd: 'voicemail',
  busy: 'busy',
  no_answer: 'no_answer',
  human_agent: 'transferred',
  invalid_number: 'failed',
  voicemail_agent: 'voicemail',
  rejected: 'busy',
};

export const scenarioOf = (toNumber: string): ScenarioName =>
  FAULT_SCENARIOS[Number(toNumber.slice(-1))] ?? 'human_yes';

export const TRANSFER_NUMBER = '+905551112233';

export function faultContacts(count: number) {
  const phones = phoneList(count, '0534');
  // Every 25th number is put on the list after the upload: the call's own precheck must refuse it.
  const dnc = phones.filter((_, i) => i % 25 === 12);
  return { phones, dnc, dncE164: new Set(dnc.map(e164)) };
}

export const faultCampaignConfig = (maxConcurrentCalls: number) =>
  campaignConfig({
    name: 'fault suite',
    maxConcurrentCalls,
    callsPerSecond: 100,
    amd: { enabled: true, graceSeconds: 2 },
    retry: { maxAttempts: 1, busyDelayMinutes: 0, noAnswerDelayMinutes: 0, retryVoicemail: false },
    transferNumber: TRANSFER_NUMBER,
    timing: { ...SHORT_TIMING, dialTimeoutSeconds: 5 },
  });
