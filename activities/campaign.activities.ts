import type { CampaignStatus } from '../domain/vocabulary';
import type { Database } from '../schema/database';
import { cancelUnfinishedContacts, contactsPage, transitionCampaign } from './db/campaigns.repository';

export interface CampaignContact {
  contactId: string;
  seq: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  finalOutcome: string | null;
}

export function createCampaignActivities({ db }: { db: Database }) {
  return {
    async loadContacts(input: { campaignId: string; fromSeq: number; limit: number }): Promise<CampaignContact[]> {
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

    /** Contacts never dialled (or awaiting a retry) when the campaign was cancelled. */
    async cancelRemainingContacts(input: { campaignId: string }): Promise<number> {
      return cancelUnfinishedContacts(db, input.campaignId);
    },
  };
}
