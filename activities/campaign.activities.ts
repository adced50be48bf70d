import type {
  CampaignContact,
  ContactAttempt,
  ContactRetry,
  RetriesWaiting,
} from '../domain/campaign-contacts';
import {
  FINAL_CALL_STATUSES,
  type CallOutcome,
  type CallStatus,
  type CampaignStatus,
} from '../domain/vocabulary';
import type { AttemptResult } from '../domain/retry-policy';
import type { Database } from '../schema/database';
import { getAttempt } from '../schema/repositories/calls.repository';
import {
  claimDueRetries,
  contactsPage,
  markScheduledRunning,
  retriesWaiting,
  settleUnfinishedContacts,
  storeContactRetries,
  transitionCampaign,
} from '../schema/repositories/campaigns.repository';

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
    }): Promise<RetriesWaiting & { retries: ContactAttempt[] }> {
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
      // A scheduled campaign's workflow reads its first page when its start delay has passed.
      if (input.fromSeq === 0) await markScheduledRunning(db, input.campaignId);
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
    }): Promise<{ state: 'missing' | 'live' } | { state: 'final'; result: AttemptResult }> {
      const row = await getAttempt(db, input.callId);
      if (!row) return { state: 'missing' };
      if (!FINAL_CALL_STATUSES.includes(row.status as CallStatus) || row.outcome === null) {
        return { state: 'live' };
      }
      return {
        state: 'final',
        result: { outcome: row.outcome as CallOutcome, label: row.label },
      };
    },
  };
}
