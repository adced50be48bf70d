/**
 * The shapes a campaign's contacts take between its workflow and its activities: the workflow reads
 * contacts and waiting attempts through activities and decides the next attempts itself.
 */

/** A contact as the campaign's list holds it. */
export interface CampaignContact {
  contactId: string;
  seq: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  /** Set once a call (or the campaign) settled the contact. */
  finalOutcome: string | null;
}

/** One attempt to dial a contact: its first, a retry or a follow-up. */
export interface ContactAttempt {
  contactId: string;
  seq: number;
  phone: string;
  name: string | null;
  variables: Record<string, string>;
  attempt: number;
  /** Follow-ups (LATER answers) this contact has had so far. */
  followups: number;
}

/** A contact's next attempt, decided after its last one; it waits in the contact's row until due. */
export interface ContactRetry {
  contactId: string;
  attempt: number;
  followups: number;
  /** Epoch ms: when the attempt may dial. */
  notBefore: number;
}

/** The attempts of a campaign waiting in their contacts' rows: how many, and the next one's time. */
export interface RetriesWaiting {
  waiting: number;
  /** Epoch ms, or null when none waits. */
  nextDueAt: number | null;
}
