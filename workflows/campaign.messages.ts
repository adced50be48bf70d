import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CallingWindow } from '../domain/calling-window';
import type { ClassifierMode } from '../domain/classifier';
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
  retry: {
    maxAttempts: number;
    busyDelayMinutes: number;
    noAnswerDelayMinutes: number;
    retryVoicemail: boolean;
  };
  amd: { enabled: boolean; graceSeconds: number };
  transferNumber?: string;
  /** Absent: KEYWORD_ONLY. */
  classifier?: ClassifierMode;
  callTiming?: Partial<CallTiming>;
  followupDefaultMinutes?: number;
}

export interface CampaignWorkflowInput {
  campaignId: string;
  tenantId: string;
  settings: CampaignSettings;
  /** Children started per run before continuing as new (default 1000; tests lower it). */
  childrenPerRun?: number;
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
  /** Follow-ups (LATER answers) this contact has had so far. */
  followups: number;
  /** Epoch ms (workflow clock) when the retry may dial. */
  notBefore: number;
}

export interface CampaignCarryOver {
  /** Seq of the next contact never handed to a call; contacts below it were dialled or skipped. */
  nextSeq: number;
  exhausted: boolean;
  /** Attempts held by this run: due ones taken from Postgres (or, before retriesInContactRows, all). */
  retries: PendingRetry[];
  /** Attempts waiting in Postgres, and when the earliest is due (epoch ms). */
  retriesWaiting?: number;
  nextRetryAt?: number | null;
  paused: boolean;
  cancelled: boolean;
  completed: number;
  dialled: number;
  /** Workflow time of the latest dial, so pacing holds across continue-as-new. */
  lastStartMs: number;
  runs: number;
}

export interface CampaignProgress {
  campaignId: string;
  status: 'running' | 'paused' | 'cancelling' | 'completed' | 'cancelled';
  inFlight: number;
  dialled: number;
  completed: number;
  pendingRetries: number;
  nextSeq: number;
  /** Runs of this campaign so far (continue-as-new), 1 for the first. */
  runs: number;
}

export const pauseCampaignSignal = defineSignal('pause');
export const resumeCampaignSignal = defineSignal('resume');
export const cancelCampaignSignal = defineSignal('cancel');
export const campaignProgressQuery = defineQuery<CampaignProgress>('progress');
