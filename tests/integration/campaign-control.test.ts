import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignProgressQuery } from '../../workflows/campaign.messages';
import {
  campaignAction,
  campaignConfig,
  dialsTo,
  e164,
  getCampaign,
  phoneList,
  waitForCampaign,
  startCampaign,
} from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { contactResults } from '../../schema/repositories/contact-results';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('campaign control: pause, resume, cancel, worker restart', () => {
  let stack: TestStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: { scenario: 'human_yes', timing: { ringMs: 100, talkMs: 1200, webhookDelayMs: 10 } },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  const numbersDialled = (phones: string[]) => dialsTo(stack, phones.map(e164)).length;

  /** Starts a campaign of two calls at a time and returns once its first two are dialled. */
  async function startTwoAtATime(phones: string[]): Promise<string> {
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({ maxConcurrentCalls: 2, callsPerSecond: 50 }),
    );
    await eventually(
      () => Promise.resolve(numbersDialled(phones) >= 2 ? true : undefined),
      30_000,
      'first dials',
    );
    return id;
  }

  it('dials nothing new while paused and finishes every contact after resume', async () => {
    const phones = phoneList(8, '0536');
    const id = await startTwoAtATime(phones);
    const paused = await campaignAction(stack, apiKey, id, 'pause');
    expect(paused.status).toBe('paused');
    const progress = await stack.client.workflow
      .getHandle(campaignWorkflowId(id))
      .query(campaignProgressQuery);
    expect(progress.status).toBe('paused');
    // A child started just before the signal may still reach the provider; then nothing more.
    await sleep(1500);
    const atPause = numbersDialled(phones);
    await sleep(3000);
    expect(numbersDialled(phones)).toBe(atPause);
    expect(atPause).toBeLessThan(8);

    await campaignAction(stack, apiKey, id, 'resume');
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byStatus).toEqual({ completed: 8 });
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials.map((d) => d.toNumber).sort()).toEqual(phones.map(e164).sort());
  });

  it('cancel lets live calls finish, dials nothing new and cancels the rest', async () => {
    const phones = phoneList(10, '0537');
    const id = await startTwoAtATime(phones);
    const cancelling = await campaignAction(stack, apiKey, id, 'cancel');
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    const done = await waitForCampaign(stack, apiKey, id, 'cancelled');
    const dialled = numbersDialled(phones);
    expect(dialled).toBeLessThan(10);
    await sleep(1500);
    expect(numbersDialled(phones)).toBe(dialled);

    // Live calls ran to their end; every other contact is cancelled and was never dialled.
    expect(done.counts.byStatus).toEqual({ completed: dialled, cancelled: 10 - dialled });
    const contacts = await contactResults(stack.db, id).select('c.phone_e164').execute();
    const dialledNumbers = new Set(dialsTo(stack, phones.map(e164)).map((d) => d.toNumber));
    for (const contact of contacts) {
      expect(contact.outcome).toBe(dialledNumbers.has(contact.phone_e164) ? 'success' : 'cancelled');
    }
    expect(stack.sim.dials().every((d) => d.endedAt !== undefined)).toBe(true);
    await expect(campaignAction(stack, apiKey, id, 'resume')).rejects.toThrow(/409/);
  });

  it('survives a worker restart mid-campaign with every contact dialled exactly once', async () => {
    const phones = phoneList(8, '0538');
    const id = await startCampaign(
      stack,
      apiKey,
      phones,
      campaignConfig({ maxConcurrentCalls: 3, callsPerSecond: 50 }),
    );
    await eventually(
      () => Promise.resolve(numbersDialled(phones) >= 3 ? true : undefined),
      30_000,
      'first dials',
    );
    await stack.restartWorker({ downMs: 1000 });
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byStatus).toEqual({ completed: 8 });
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials.map((d) => d.toNumber).sort()).toEqual(phones.map(e164).sort());
    const attempts = await stack.db
      .selectFrom('call_attempts')
      .select(['contact_id', 'attempt'])
      .where('campaign_id', '=', id)
      .execute();
    expect(attempts).toHaveLength(8);
    expect(new Set(attempts.map((a) => a.contact_id)).size).toBe(8);
    expect((await getCampaign(stack, apiKey, id)).counts.byOutcome).toEqual({ success: 8 });
  });
});
