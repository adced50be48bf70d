import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CallingWindow } from '../domain/calling-window';
import type { CallType, Language, Provider } from '../domain/vocabulary';
import type { CallTiming } from './call.messages';

export interface CampaignSettings {
  callType: CallType;
  provider: Provider;
  language: Language;
  timezone: string;
  callingWindow: CallingWindow;
  maxConcurrentCalls: number;
  callsPerSecond: number;
  retry: { maxAttempts: number; busyDelayMinutes: number; noAnswerDelayMinutes: number; retryVoicemail: boolean };
  amd: { enabled: boolean; graceSeconds: number };
  transferNumber?: string;
  callTiming?: Partial<CallTiming>;
}

export interface CampaignWorkflowInput {
  campaignId: string;
  tenantId: string;
  settings: CampaignSettings;
  /** Carried across continue-as-new. */
  state?: CampaignCarryOver;
}

export interface PendingRetry {
  contactId: string;
  seq: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  attempt: number;
  /** Epoch ms (workflow clock) when the retry may dial. */
  notBefore: number;
}

export interface CampaignCarryOver {
  nextSeq: number;
  exhausted: boolean;
  retries: PendingRetry[];
  paused: boolean;
  cancelled: boolean;
  completed: number;
  dialled: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: 'running' | 'paused' | 'cancelling' | 'completed' | 'cancelled';
  inFlight: number;
  dialled: number;
  completed: number;
  pendingRetries: number;
  nextSeq: number;
}

export const pauseCampaignSignal = defineSignal('pause');
export const resumeCampaignSignal = defineSignal('resume');
export const cancelCampaignSignal = defineSignal('cancel');
export const campaignProgressQuery = defineQuery<CampaignProgress>('progress');
