import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { up as clearResultCopies } from '../../schema/migrations/2026_11_22_0008_contact_results';
import {
  reserveAttempt,
  writeCallState,
  type CallRecordState,
} from '../../schema/repositories/calls.repository';
import {
  contactsPage,
  insertDraftCampaign,
  recordAttemptFinished,
  settleUnfinishedContacts,
  storeContactRetries,
} from '../../schema/repositories/campaigns.repository';
import { campaignCounts, contactResults } from '../../schema/repositories/contact-results';
import { tenantDatabase } from '../support/database';
import { callWorkflowId } from '../../workflows/workflow-ids';

const idle: CallRecordState = {
  status: 'queued',
  outcome: null,
  sipCode: null,
  hangupCause: null,
  amdStatus: null,
  amdCause: null,
  providerCallId: null,
  answeredAt: null,
  endedAt: null,
  startedAt: null,
  durationSeconds: null,
  cost: null,
  label: null,
  transcript: null,
  transfer: null,
};
const ringing: Partial<CallRecordState> = { status: 'ringing' };
const busy: Partial<CallRecordState> = { status: 'busy', outcome: 'busy', sipCode: 486 };
const yes: Partial<CallRecordState> = { status: 'completed', outcome: 'success', label: 'YES', sipCode: 200 };

describe("a contact's result, read from its attempts (real Postgres)", () => {
  const store = tenantDatabase('Contact results');

  /** A campaign with one contact per name, and a way to play its calls into Postgres as a worker would. */
  async function campaign(names: string[]) {
    const campaignId = await store.db.transaction().execute((trx) =>
      insertDraftCampaign(trx, {
        tenantId: store.tenantId,
        name: 'Results',
        config: {},
        mapping: {},
        report: {},
        sourceFileName: null,
        sheet: {},
        contacts: names.map((name, i) => ({
          rowNumber: i + 2,
          phoneE164: `+90532300${String(i).padStart(4, '0')}`,
          rawPhone: '',
          name,
          variables: {},
          sourceCells: null,
        })),
      }),
    );
    const rows = await store.db
      .selectFrom('contacts')
      .select(['id', 'name', 'phone_e164'])
      .where('campaign_id', '=', campaignId)
      .execute();
    const contact = (name: string) => rows.find((r) => r.name === name)!;
    const call = async (
      name: string,
      attempt: number,
      state: Partial<CallRecordState>,
      finished: boolean,
    ) => {
      const callId = randomUUID();
      const { id: contactId, phone_e164: toNumber } = contact(name);
      const workflowId = callWorkflowId(callId);
      await reserveAttempt(store.db, {
        callId,
        tenantId: store.tenantId,
        campaignId,
        contactId,
        attempt,
        toNumber,
        provider: 'elevenlabs',
        workflowId,
      });
      await writeCallState(store.db, callId, { ...idle, ...state });
      if (finished) await recordAttemptFinished(store.db, contactId, attempt);
    };
    const retry = (name: string, attempt: number) =>
      storeContactRetries(store.db, campaignId, [
        { contactId: contact(name).id, attempt, followups: 0, notBefore: Date.now() + 60_000 },
      ]);
    const results = async () => {
      const list = await contactResults(store.db, campaignId).select('c.name').execute();
      return Object.fromEntries(list.map((r) => [r.name, [r.status, r.outcome, r.label, r.attempts]]));
    };
    return { campaignId, contact, call, retry, results };
  }

  it('has no outcome while an attempt runs or a retry waits, and the campaign closes only open contacts', async () => {
    const c = await campaign(['new', 'ringing', 'retryWaits', 'retryRings', 'answered']);
    await c.call('ringing', 1, ringing, false);
    await c.call('retryWaits', 1, busy, true);
    await c.retry('retryWaits', 2);
    await c.call('retryRings', 1, busy, true);
    await c.retry('retryRings', 2);
    await c.call('retryRings', 2, ringing, false);
    await c.call('answered', 1, yes, true);

    expect(await c.results()).toEqual({
      new: ['queued', null, null, 0],
      ringing: ['ringing', null, null, 1],
      retryWaits: ['retry_pending', null, null, 1],
      retryRings: ['ringing', null, null, 2],
      answered: ['completed', 'success', 'YES', 1],
    });
    expect(await campaignCounts(store.db, c.campaignId)).toEqual({
      byStatus: { queued: 1, ringing: 2, retry_pending: 1, completed: 1 },
      byOutcome: { success: 1 },
      byLabel: { YES: 1 },
    });
    // A campaign run starting from scratch dials only the contacts that never finished an attempt.
    const page = await contactsPage(store.db, c.campaignId, 0, 10);
    expect(Object.fromEntries(page.map((p) => [p.name, p.final_outcome]))).toEqual({
      new: null,
      ringing: null,
      retryWaits: 'busy',
      retryRings: 'busy',
      answered: 'success',
    });

    const closed = await settleUnfinishedContacts(store.db, {
      campaignId: c.campaignId,
      awaitingRetry: [],
      status: 'cancelled',
      outcome: 'cancelled',
    });
    expect(closed).toBe(4);
    expect(await c.results()).toEqual({
      new: ['cancelled', 'cancelled', null, 0],
      ringing: ['cancelled', 'cancelled', null, 1],
      retryWaits: ['cancelled', 'cancelled', null, 1],
      retryRings: ['cancelled', 'cancelled', null, 2],
      answered: ['completed', 'success', 'YES', 1],
    });

    // An attempt that finishes after all has the last word.
    const late = await store.db
      .selectFrom('call_attempts')
      .select('id')
      .where('contact_id', '=', c.contact('retryRings').id)
      .where('attempt', '=', 2)
      .executeTakeFirstOrThrow();
    await writeCallState(store.db, late.id, { ...idle, ...yes });
    await recordAttemptFinished(store.db, c.contact('retryRings').id, 2);
    expect((await c.results()).retryRings).toEqual(['completed', 'success', 'YES', 2]);
  });

  it('fails, at the end, a contact whose last call never reported, and keeps the others', async () => {
    const c = await campaign(['died', 'answered']);
    await c.call('died', 1, busy, true);
    await c.retry('died', 2);
    await c.call('died', 2, ringing, false);
    await c.call('answered', 1, yes, true);
    await settleUnfinishedContacts(store.db, {
      campaignId: c.campaignId,
      awaitingRetry: [],
      status: 'failed',
      outcome: 'failed',
    });
    expect(await c.results()).toEqual({
      died: ['failed', 'failed', null, 2],
      answered: ['completed', 'success', 'YES', 1],
    });
  });

  it('migration 0008 clears the copies of attempt results and keeps the campaign verdicts', async () => {
    const c = await campaign(['copied', 'cancelled']);
    await c.call('copied', 1, busy, true);
    await c.call('cancelled', 1, busy, true);
    // What workers before 0008 left: every finished attempt's result copied to the contact.
    await store.db
      .updateTable('contacts')
      .set({ final_status: 'busy', final_outcome: 'busy' })
      .where('id', '=', c.contact('copied').id)
      .execute();
    await store.db
      .updateTable('contacts')
      .set({ final_status: 'cancelled', final_outcome: 'cancelled' })
      .where('id', '=', c.contact('cancelled').id)
      .execute();
    await c.retry('copied', 2);
    expect((await c.results()).copied).toEqual(['busy', 'busy', null, 1]);

    await clearResultCopies(store.db);
    expect(await c.results()).toEqual({
      copied: ['retry_pending', null, null, 1],
      cancelled: ['cancelled', 'cancelled', null, 1],
    });
  });
});
