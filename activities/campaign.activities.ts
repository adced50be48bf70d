import {
  FINAL_CALL_STATUSES,
  type CallOutcome,
  type CallStatus,
  type CampaignStatus,
  type Label,
} from '../domain/vocabulary';
import type { Database } from '../schema/database';
import type { CallWorkflowResult } from '../workflows/call.messages';
import type { PendingRetry } from '../workflows/campaign.messages';
import { getAttempt } from '../schema/repositories/calls.repository';
import {
  claimDueRetries,
  contactsPage,
  retriesWaiting,
  settleUnfinishedContacts,
  storeContactRetries,
  transitionCampaign,
  type ContactRetry,
} from '../schema/repositories/campaigns.repository';

export interface CampaignContact {
  contactId: string;
  seq: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  finalOutcome: string | null;
}

/** The attempts of a campaign waiting in their contacts' rows: how many, and the next one's time. */
export interface RetriesWaiting {
  waiting: number;
  /** Epoch ms, or null when none waits. */
  nextDueAt: number | null;
}

export function createCampaignActivities({ db }: { db: Database }) {
  return {
    /** Next attempts (retries, follow-ups) wait in the contacts' rows until they are due. */
    async storeRetries(input: { campaignId: string; retries: ContactRetry[] }): Promise<RetriesWaiting> {
      await storeContactRetries(db, input.campaignId, input.retries);
      return retriesWaiting(db, input.campaignId);
    },

    /** Takes the attempts due by `dueBy` (the workflow's clock), at most `limit`; see claimDueRetries. */
    async claimDueRetries(input: {
      campaignId: string;
      claim: string;
      dueBy: number;
      limit: number;
    }): Promise<RetriesWaiting & { retries: PendingRetry[] }> {
      const { claimed, ...waiting } = await claimDueRetries(db, input);
      return {
        ...waiting,
        retries: claimed.map((row) => ({
          contactId: row.id,
          seq: row.seq,
          phone: row.phone_e164,
          name: row.name,
          variables: row.variables,
          attempt: row.retry_attempt ?? 1,
          followups: row.retry_followups ?? 0,
          notBefore: input.dueBy,
        })),
      };
    },

    /** What a campaign run starting from scratch finds waiting (a reset keeps the rows). */
    async retriesWaiting(input: { campaignId: string }): Promise<RetriesWaiting> {
      return retriesWaiting(db, input.campaignId);
    },

    async loadContacts(input: {
      campaignId: string;
      fromSeq: number;
      limit: number;
    }): Promise<CampaignContact[]> {
      const rows = await contactsPage(db, input.campaignId, input.fromSeq, input.limit);
      return rows.map((row) => ({
        contactId: row.id,
        seq: row.seq,
        phone: row.phone_e164,
        name: row.name,
        variables: row.variables,
        finalOutcome: row.final_outcome,
      }));
    },

    async setCampaignStatus(input: {
      campaignId: string;
      from: CampaignStatus[];
      to: CampaignStatus;
    }): Promise<boolean> {
      return transitionCampaign(db, input.campaignId, input.from, input.to);
    },

    /**
     * Gives every contact still without an outcome (never dialled, or whose call workflow died)
     * and every contact awaiting a retry the given final status.
     */
    async settleUnfinishedContacts(input: {
      campaignId: string;
      awaitingRetry: string[];
      status: CallStatus;
      outcome: CallOutcome;
    }): Promise<number> {
      return settleUnfinishedContacts(db, input);
    },

    /** The result of an attempt started by an earlier campaign run, read from its record. */
    async loadAttemptResult(input: {
      callId: string;
    }): Promise<{ state: 'missing' | 'live' } | { state: 'final'; result: CallWorkflowResult }> {
      const row = await getAttempt(db, input.callId);
      if (!row) return { state: 'missing' };
      const status = row.status as CallStatus;
      if (!FINAL_CALL_STATUSES.includes(status) || row.outcome === null) return { state: 'live' };
      return {
        state: 'final',
        result: {
          callId: row.id,
          contactId: row.contact_id,
          attempt: row.attempt,
          status,
          outcome: row.outcome as CallOutcome,
          label: row.label as Label | null,
          sipCode: row.sip_code,
        },
      };
    },
  };
}
