import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleUser, expectAccessible, launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { scenarioContacts, scenarioRule } from '../support/scenario-campaign';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

// The last digit of each number picks its scenario: 0 says yes, 1 asks not to be called, 2 is busy.
const SCENARIOS = ['human_yes', 'human_dont_call', 'busy'] as const;
const contacts = scenarioContacts(SCENARIOS);
const CSV = ['ad,telefon,tutar,son_odeme_tarihi', ...contacts.map((c, i) => `Kişi ${i},${c.local},100 TL,2026-12-01`)].join('\n');
const CONFIG = {
  name: 'Arama listesi',
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  maxConcurrentCalls: 3,
  amd: { enabled: false, graceSeconds: 0 },
  retry: { maxAttempts: 1 },
};

/** A signed-out page in a browser profile of its own. */
async function freshPage(browser: Browser, baseUrl: string, locale?: string): Promise<Page> {
  return (await newContext(browser, baseUrl, locale)).newPage();
}

interface CallDetail {
  callId: string;
  workflowId: string;
  temporalUiUrl: string;
  toNumber: string;
  transcript: { message: string }[];
  timeline: { kind: string; at: string }[];
  turns: { utterance: string | null; reply: string }[];
}

describe('console: the calls list and the call page', () => {
  let stack: TestStack;
  let browser: Browser;
  let apiKey: string;
  let campaignId: string;
  let manager: { email: string; password: string };
  let viewer: { email: string; password: string };
  const auth = () => ({ authorization: `Bearer ${apiKey}` });
  const rows = (page: Page) => page.locator('table.calls-table tbody tr');
  const numbers = (page: Page) => page.locator('table.calls-table tbody tr td:first-child').allTextContents();
  const callOf = async (query: string) => {
    const res = await request(stack.apiUrl).get(`/v1/calls?${query}`).set(auth()).expect(200);
    const id = (res.body.items as { callId: string }[])[0]!.callId;
    return (await request(stack.apiUrl).get(`/v1/calls/${id}`).set(auth()).expect(200)).body as CallDetail;
  };
  const signedIn = async (user: { email: string; password: string }, locale?: string) => {
    const page = await freshPage(browser, stack.apiUrl, locale);
    await signIn(page, user.email, user.password);
    return page;
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ simulator: { scenario: scenarioRule(SCENARIOS) } }), launchBrowser()]);
    const tenant = await createTenant(stack, 'Calls tenant');
    apiKey = tenant.apiKey;
    [manager, viewer] = await Promise.all([consoleUser(stack.db, tenant.tenantId, 'manager'), consoleUser(stack.db, tenant.tenantId, 'viewer')]);
    const created = await request(stack.apiUrl)
      .post('/v1/campaigns')
      .set(auth())
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'kisiler.csv')
      .expect(201);
    campaignId = created.body.id as string;
    await request(stack.apiUrl).post(`/v1/campaigns/${campaignId}/start`).set(auth()).send({}).expect(200);
    await eventually(
      async () => {
        const res = await request(stack.apiUrl).get(`/v1/campaigns/${campaignId}`).set(auth());
        return res.body.status === 'completed' ? true : undefined;
      },
      90_000,
      'the campaign to complete',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('says so when a tenant has no calls yet', async () => {
    const empty = await createTenant(stack, 'Empty tenant');
    const page = await signedIn(await consoleUser(stack.db, empty.tenantId, 'viewer'));
    await page.goto('/calls');
    await page.getByText('No calls yet.', { exact: false }).waitFor();
    expect(await rows(page).count()).toBe(0);
  });

  it('lists every call with its campaign, status, outcome and answer, and narrows by each filter, kept in the address', async () => {
    const page = await signedIn(viewer);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Calls' }).click();
    await page.getByRole('heading', { level: 1, name: 'Calls' }).waitFor();
    await expect.poll(() => rows(page).count()).toBe(3);
    expect((await numbers(page)).sort()).toEqual(contacts.map((c) => c.e164).sort());
    const yesRow = rows(page).filter({ hasText: contacts[0]!.e164 });
    expect(await yesRow.locator('td').allInnerTexts()).toEqual([
      contacts[0]!.e164,
      'Arama listesi',
      'completed',
      'success',
      'yes',
      expect.any(String),
      expect.stringMatching(/second/),
      '—',
    ]);
    await expectAccessible(page, 'the calls list');
    await screenshot(page, 'calls-list');

    await page.getByLabel('Status').selectOption('busy');
    await expect.poll(() => numbers(page)).toEqual([contacts[2]!.e164]);
    expect(new URL(page.url()).searchParams.get('status')).toBe('busy');
    await page.reload();
    await expect.poll(() => numbers(page)).toEqual([contacts[2]!.e164]);
    expect(await page.getByLabel('Status').inputValue()).toBe('busy');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByLabel('Answer').selectOption('DONT_CALL');
    await expect.poll(() => numbers(page)).toEqual([contacts[1]!.e164]);
    await page.getByLabel('Outcome').selectOption('success');
    await page.getByText('No call matches these filters.').waitFor();
    await page.goBack();
    await expect.poll(() => numbers(page)).toEqual([contacts[1]!.e164]);
    expect(await page.getByLabel('Outcome').inputValue()).toBe('');
    expect(await page.getByLabel('Answer').inputValue()).toBe('DONT_CALL');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByLabel('Outcome').selectOption('opted_out');
    await expect.poll(() => new URL(page.url()).search).toBe('?outcome=opted_out');
    await expect.poll(() => numbers(page)).toEqual([contacts[1]!.e164]);
    await page.getByLabel('Campaign').selectOption({ label: 'Arama listesi' });
    await expect.poll(() => numbers(page)).toEqual([contacts[1]!.e164]);
    expect(new URL(page.url()).searchParams.get('campaignId')).toBe(campaignId);
  });

  it('searches by digits of the number from the keyboard, and the search survives a reload', async () => {
    const page = await signedIn(viewer);
    await page.goto('/calls');
    await expect.poll(() => rows(page).count()).toBe(3);
    await page.getByLabel('Number contains').focus();
    await page.keyboard.type('100 00 00');
    await page.keyboard.press('Enter');
    await expect.poll(() => numbers(page)).toEqual([contacts[0]!.e164]);
    expect(new URL(page.url()).searchParams.get('q')).toBe('100 00 00');
    await page.reload();
    await expect.poll(() => numbers(page)).toEqual([contacts[0]!.e164]);
    expect(await page.getByLabel('Number contains').inputValue()).toBe('100 00 00');
    await expectAccessible(page, 'the calls list searched');
    await screenshot(page, 'calls-searched');
  });

  it('fetches one keyset page at a time and adds the next on "Load more"', async () => {
    const page = await signedIn(viewer);
    let pages = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/v1/calls') pages += 1;
    });
    await page.goto('/calls?limit=2');
    await expect.poll(() => rows(page).count()).toBe(2);
    const first = await numbers(page);
    expect(pages).toBe(1);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows(page).count()).toBe(3);
    expect((await numbers(page)).slice(0, 2)).toEqual(first);
    expect(pages).toBe(2);
    await page.getByText('3 calls shown').waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });

  it('opens a call from the list and shows its facts in order, turns, answers, transcript, analysis, recording and Temporal link', async () => {
    const call = await callOf('label=YES');
    const page = await signedIn(manager);
    await page.goto('/calls?label=YES');
    await expect.poll(() => rows(page).count()).toBe(1);
    await page.getByRole('link', { name: call.toNumber }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Call to ${call.toNumber}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/calls/${call.callId}`);

    const campaign = page.getByRole('link', { name: 'Arama listesi' });
    await campaign.waitFor();
    expect(await campaign.getAttribute('href')).toBe(`/campaigns/${campaignId}`);
    expect(await page.getByTestId('call-status').textContent()).toBe('completed');

    const times = await page.getByTestId('timeline').locator('li time').evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
    expect(times).toEqual(call.timeline.map((e) => e.at));
    const kinds = await page.getByTestId('timeline').locator('li').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(kinds).toEqual(call.timeline.map((e) => e.kind));
    expect(await page.getByTestId('timeline').locator('li[data-kind="ended"] strong').textContent()).toBe('Ended');

    const turns = page.getByTestId('turns').locator(':scope > li');
    expect(await turns.count()).toBe(call.turns.length);
    expect(await turns.first().textContent()).toContain(call.turns[0]!.utterance!);
    expect(await turns.first().textContent()).toContain(call.turns[0]!.reply);
    expect(await page.getByTestId('labels').textContent()).toContain('yes');

    const transcript = page.getByTestId('transcript').locator('li');
    expect(await transcript.count()).toBe(call.transcript.length);
    expect(await transcript.first().textContent()).toContain(call.transcript[0]!.message);

    const evaluation = page.getByTestId('evaluation').locator('tbody tr').first();
    expect(await evaluation.locator('th').textContent()).toBe('reminder_acknowledged');
    expect(await evaluation.locator('td').first().textContent()).toBe('met');
    expect(await page.getByTestId('data-collection').locator('tbody th').first().textContent()).toBe('customer_reply');

    const audio = page.locator('audio');
    expect(await audio.getAttribute('src')).toBe(`/v1/calls/${call.callId}/recording`);
    expect(await audio.getAttribute('controls')).not.toBeNull();
    // The recording plays from this API: the browser fetches it with the session cookie.
    const status = await page.evaluate(async (src) => (await fetch(src)).status, `/v1/calls/${call.callId}/recording`);
    expect(status).toBe(200);

    const temporal = page.getByRole('link', { name: 'Open the workflow in Temporal UI' });
    expect(await temporal.getAttribute('href')).toBe(call.temporalUiUrl);
    expect(call.temporalUiUrl).toContain(`/workflows/${encodeURIComponent(call.workflowId)}`);
    expect(await temporal.getAttribute('target')).toBe('_blank');
    expect(await temporal.getAttribute('rel')).toBe('noreferrer');
    // A finished call cannot be hung up, so even a manager is not offered it.
    expect(await page.getByRole('button', { name: 'Hang up' }).count()).toBe(0);

    await expectAccessible(page, 'the call page');
    await screenshot(page, 'call-page');
    await page.keyboard.press('End');
    await screenshot(page, 'call-page-bottom');
  });

  it('shows an unanswered call without a recording or an analysis, in Turkish too', async () => {
    const call = await callOf('status=busy');
    const page = await signedIn(viewer, 'tr-TR');
    await page.goto(`/calls/${call.callId}`);
    await page.getByRole('heading', { level: 1, name: `${call.toNumber} araması` }).waitFor();
    expect(await page.getByTestId('call-status').textContent()).toBe('meşgul');
    expect(await page.locator('audio').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Arama sonrası analiz' }).count()).toBe(0);
    await page.getByText('Konuşma adımı yok.').waitFor();
    await expectAccessible(page, 'an unanswered call, in Turkish');
    await screenshot(page, 'call-page-busy-tr');
  });
});

describe('console: hanging up a live call', () => {
  let stack: TestStack;
  let browser: Browser;
  let apiKey: string;
  const auth = () => ({ authorization: `Bearer ${apiKey}` });
  let manager: { email: string; password: string };
  let viewer: { email: string; password: string };
  let callId: string;

  beforeAll(async () => {
    // The phone rings for 90 s: long enough to open the call's page and hang it up on a busy machine.
    [stack, browser] = await Promise.all([startTestStack({ simulator: { scenario: () => 'human_yes', timing: { ringMs: 90_000 } } }), launchBrowser()]);
    const tenant = await createTenant(stack, 'Hang-up tenant');
    apiKey = tenant.apiKey;
    [manager, viewer] = await Promise.all([consoleUser(stack.db, tenant.tenantId, 'manager'), consoleUser(stack.db, tenant.tenantId, 'viewer')]);
    const created = await request(stack.apiUrl)
      .post('/v1/campaigns')
      .set(auth())
      .field('config', JSON.stringify({ ...CONFIG, name: 'Canlı arama', timing: { ringingTimeoutSeconds: 120 } }))
      .attach('file', Buffer.from(['ad,telefon,tutar,son_odeme_tarihi', 'Kişi,0532 100 00 09,100 TL,2026-12-01'].join('\n')), 'kisiler.csv')
      .expect(201);
    await request(stack.apiUrl).post(`/v1/campaigns/${created.body.id as string}/start`).set(auth()).send({}).expect(200);
    callId = await eventually(
      async () => {
        const res = await request(stack.apiUrl).get('/v1/calls?status=ringing').set(auth());
        return (res.body.items as { callId: string }[] | undefined)?.[0]?.callId;
      },
      30_000,
      'a ringing call',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('offers a viewer no hang-up; a manager confirms it and watches the call end', async () => {
    const viewing = await freshPage(browser, stack.apiUrl);
    await signIn(viewing, viewer.email, viewer.password);
    await viewing.goto(`/calls/${callId}`);
    await viewing.getByText('Live: this page refreshes by itself.').waitFor();
    expect(await viewing.getByRole('button', { name: 'Hang up' }).count()).toBe(0);

    const page = await freshPage(browser, stack.apiUrl);
    await signIn(page, manager.email, manager.password);
    await page.goto(`/calls/${callId}`);
    await expect.poll(() => page.getByTestId('call-status').textContent()).toBe('ringing');
    await page.getByRole('button', { name: 'Hang up' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await expectAccessible(page, 'the hang-up confirmation');
    await screenshot(page, 'call-hangup-confirm');
    await dialog.getByRole('button', { name: 'Hang up' }).click();
    await page.getByText('Hang-up requested; the call ends in a moment.').waitFor();
    await expect.poll(() => page.getByTestId('call-status').textContent(), { timeout: 20_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Hang up' }).count()).toBe(0);
    expect(await page.getByTestId('timeline').locator('li[data-kind="hangup_requested"]').count()).toBe(1);
    await screenshot(page, 'call-hung-up');
  });
});
