import { workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type {
  CampaignContact,
  ContactAttempt,
  ContactRetry,
  RetriesWaiting,
} from '../domain/campaign-contacts';
import type { NextAttempt } from '../domain/retry-policy';
import type { AttemptRef, ContactsCarryOver } from './campaign.messages';

const PAGE_SIZE = 200;
/** Due attempts taken from Postgres at once; the run holds them (and carries them) until dialled. */
const RETRY_PAGE = 100;

type ContactActivities = Pick<
  Activities,
  'loadContacts' | 'storeRetries' | 'claimDueRetries' | 'retriesWaiting'
>;

/**
 * The contacts a campaign dials next: due retries and follow-ups first, then its list in order.
 * Next attempts wait in the contacts' Postgres rows rather than in the run's state, which a
 * continue-as-new input must carry whole: a large campaign can have tens of thousands waiting.
 */
export class ContactSource {
  // Contacts read but not yet dialled. nextSeq moves only when one is taken, so a continue-as-new
  // that drops this buffer re-reads them instead of skipping them.
  private readonly buffer: CampaignContact[] = [];
  /** Next attempts decided since the last write to Postgres. */
  private readonly unstored: ContactRetry[] = [];
  private claims = 0;

  constructor(
    private readonly campaignId: string,
    private readonly db: ContactActivities,
    private readonly state: ContactsCarryOver = {
      nextSeq: 0,
      exhausted: false,
      taken: [],
      waiting: 0,
      nextDueAt: null,
    },
  ) {}

  /** A first run finds the attempts an earlier, terminated workflow of this campaign left waiting. */
  async findWaiting(): Promise<void> {
    this.noteWaiting(await this.db.retriesWaiting({ campaignId: this.campaignId }));
  }

  /** Reads the list on if nothing is buffered, stores the next attempts decided, takes due ones. */
  async refresh(): Promise<void> {
    await this.refill();
    await this.storeRetries();
    await this.claimRetries();
  }

  /** Takes up to `limit` attempts to dial now: due retries first, then the next fresh contacts. */
  takeDue(limit: number): ContactAttempt[] {
    const batch = this.state.taken.splice(0, limit);
    while (batch.length < limit) {
      const contact = this.buffer.shift();
      if (!contact) break;
      this.state.nextSeq = contact.seq + 1;
      const { finalOutcome: _settled, ...fresh } = contact;
      batch.push({ ...fresh, attempt: 1, followups: 0 });
    }
    return batch;
  }

  /** The contact gets another attempt once it is due; it waits in the contact's row until then. */
  retryLater(last: AttemptRef, next: NonNullable<NextAttempt>): void {
    this.unstored.push({
      contactId: last.contactId,
      attempt: last.attempt + 1,
      followups: last.followups + (next.kind === 'followup' ? 1 : 0),
      notBefore: next.notBefore,
    });
  }

  /** Writes the next attempts decided meanwhile to their contacts' rows. */
  async storeRetries(): Promise<void> {
    if (this.unstored.length === 0) return;
    const retries = this.unstored.splice(0);
    this.noteWaiting(await this.db.storeRetries({ campaignId: this.campaignId, retries }));
  }

  /** Every contact has been dialled and no attempt is left to make. */
  get done(): boolean {
    return this.state.exhausted && this.buffer.length === 0 && this.pending === 0;
  }

  /** Attempts decided and not yet dialled: held by this run, waiting in Postgres or not yet stored. */
  get pending(): number {
    return this.state.taken.length + this.state.waiting + this.unstored.length;
  }

  /** Next attempts decided that Postgres does not hold yet. */
  get hasUnstored(): boolean {
    return this.unstored.length > 0;
  }

  /** When the earliest attempt waiting in Postgres is due (epoch ms), null when none waits. */
  get nextDueAt(): number | null {
    return this.state.nextDueAt;
  }

  get nextSeq(): number {
    return this.state.nextSeq;
  }

  /** Gives up the attempts this run took and did not dial (a cancelled campaign): their contact ids. */
  dropTaken(): string[] {
    return this.state.taken.splice(0).map((a) => a.contactId);
  }

  /** The position to continue from; the buffer is dropped, its contacts are at or after nextSeq. */
  carryOver(): ContactsCarryOver {
    return {
      ...this.state,
      exhausted: this.state.exhausted && this.buffer.length === 0,
      taken: [...this.state.taken],
    };
  }

  /** Reads pages until one holds a contact to dial, or the list ends. */
  private async refill(): Promise<void> {
    while (this.buffer.length === 0 && !this.state.exhausted) {
      const page = await this.db.loadContacts({
        campaignId: this.campaignId,
        fromSeq: this.state.nextSeq,
        limit: PAGE_SIZE,
      });
      if (page.length < PAGE_SIZE) this.state.exhausted = true;
      // A contact with a final outcome was settled before (a campaign workflow restarted from scratch).
      const fresh = page.filter((c) => c.finalOutcome === null);
      const last = page[page.length - 1];
      if (fresh.length === 0 && last) this.state.nextSeq = last.seq + 1;
      this.buffer.push(...fresh);
    }
  }

  /** Takes due attempts from Postgres once those this run holds are dialled. */
  private async claimRetries(): Promise<void> {
    const now = Date.now();
    if (this.state.nextDueAt === null || this.state.nextDueAt > now) return;
    if (this.state.taken.length > 0) return;
    const { retries, ...waiting } = await this.db.claimDueRetries({
      campaignId: this.campaignId,
      claim: `${workflowInfo().runId}/${++this.claims}`,
      dueBy: now,
      limit: RETRY_PAGE,
    });
    this.state.taken.push(...retries);
    this.noteWaiting(waiting);
  }

  private noteWaiting(waiting: RetriesWaiting): void {
    this.state.waiting = waiting.waiting;
    this.state.nextDueAt = waiting.nextDueAt;
  }
}
