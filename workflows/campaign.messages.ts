import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CallingWindow } from '../domain/calling-window';
import type { ContactAttempt } from '../domain/campaign-contacts';
import type { ClassifierMode } from '../domain/classifier';
import type { CallType, Language, Provider } from '../domain/vocabulary';
import type { CallTiming, CallWorkflowResult } from './call.messages';

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
  /** Where `transferNumber` may belong: the campaign's defaultCountry and its transferCountries. */
  transferCountries?: string[];
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

/** Where a campaign's run stands in its list of contacts, and the attempts it holds or left waiting. */
export interface ContactsCarryOver {
  /** Seq of the next contact never handed to a call; contacts below it were dialled or skipped. */
  nextSeq: number;
  /** No contact at or after nextSeq is left to read. */
  exhausted: boolean;
  /** Due attempts taken from Postgres and not yet dialled. */
  taken: ContactAttempt[];
  /** Attempts waiting in their contacts' rows, and when the earliest is due (epoch ms). */
  waiting: number;
  nextDueAt: number | null;
}

export interface CampaignCarryOver {
  contacts: ContactsCarryOver;
  paused: boolean;
  cancelled: boolean;
  completed: number;
  dialled: number;
  /** Workflow time of the latest dial, so pacing holds across continue-as-new. */
  lastStartMs: number;
  runs: number;
  /** Calls still live when the run continued as new: the next run holds their slots and hears their end. */
  live?: CarriedCall[];
}

/** A call an earlier run started, as much of its attempt as deciding the next one needs. */
export interface CarriedCall extends AttemptRef {
  callId: string;
  /** Workflow time the call was first carried over (epoch ms): one silent for long is looked up. */
  carriedSinceMs: number;
}

/** Which attempt of which contact a call is: what the retry policy reads. */
export interface AttemptRef {
  contactId: string;
  attempt: number;
  followups: number;
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
/** A campaign's call tells its campaign, by workflow id, that it ended: whichever run is current hears it. */
export const callEndedSignal = defineSignal<[CallWorkflowResult]>('callEnded');
