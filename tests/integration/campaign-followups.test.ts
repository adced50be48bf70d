import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import {
  campaignConfig,
  dialsTo,
  e164,
  phoneList,
  waitForCampaign,
  startCampaign,
} from '../support/campaigns';
import { createTenant, startTestStack, type TestStack } from '../support/stack';
import { contactResults } from '../../schema/repositories/contact-results';

/** 0.05 minutes: the follow-up is due 3 s after the LATER answer. */
const FOLLOWUP_MINUTES = 0.05;

describe('campaign follow-ups', () => {
  let stack: TestStack;
  let apiKey: string;
  const dialsByNumber = new Map<string, number>();

  beforeAll(async () => {
    // The first call to a number hears "later", the follow-up hears "yes".
    stack = await startTestStack({
      simulator: {
        scenario: (toNumber): ScenarioName => {
          const dials = (dialsByNumber.get(toNumber) ?? 0) + 1;
          dialsByNumber.set(toNumber, dials);
          return dials === 1 ? 'human_later' : 'human_yes';
        },
        timing: { ringMs: 50, talkMs: 200, webhookDelayMs: 10 },
      },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  it('dials a LATER contact again at its follow-up time and settles it with the second answer', async () => {
    const phones = phoneList(2, '0536');
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({
        followupDefaultMinutes: FOLLOWUP_MINUTES,
        retry: { maxAttempts: 1, busyDelayMinutes: 1, noAnswerDelayMinutes: 1, retryVoicemail: false },
      }),
    );
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byLabel).toEqual({ YES: 2 });

    const contacts = await stack.db
      .selectFrom(contactResults(stack.db, id).as('r'))
      .select(['r.attempts', 'r.status', 'r.outcome', 'r.label'])
      .execute();
    expect(contacts).toEqual([
      { attempts: 2, status: 'completed', outcome: 'success', label: 'YES' },
      { attempts: 2, status: 'completed', outcome: 'success', label: 'YES' },
    ]);

    for (const phone of phones.map(e164)) {
      const [first, followup, ...more] = dialsTo(stack, [phone]).sort((a, b) => a.startedAt - b.startedAt);
      expect(more).toEqual([]);
      const scheduled = await stack.db
        .selectFrom('followups')
        .innerJoin('call_attempts', 'call_attempts.id', 'followups.call_id')
        .select(['followups.due_at', 'call_attempts.attempt'])
        .where('call_attempts.to_number', '=', phone)
        .executeTakeFirstOrThrow();
      expect(scheduled.attempt).toBe(1);
      // Dialled at its time, not before: the follow-up was due ~3 s after the first answer.
      expect(followup!.startedAt).toBeGreaterThanOrEqual(scheduled.due_at.getTime() - 50);
      expect(followup!.startedAt - first!.startedAt).toBeGreaterThanOrEqual(FOLLOWUP_MINUTES * 60_000 - 500);
    }
  });
});
