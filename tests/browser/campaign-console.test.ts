import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { consoleUser, expectAccessible, launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { campaignAction, campaignConfig, contactsCsv, createCampaign, dialsTo, getCampaign, e164 as localToE164, phoneList, waitForCampaign } from '../support/campaigns';
import { SHORT_TIMING } from '../support/scenario-campaign';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

/** +90534… numbers ending in 9 ask not to be called again; every other number answers yes. */
const scenario = (toNumber: string): ScenarioName =>
  toNumber.startsWith('+90534') && toNumber.endsWith('9') ? 'human_dont_call' : 'human_yes';

/** A number as a person types it (spaces and all) in E.164, as the console shows it. */
const e164 = (typed: string) => localToE164(typed.replace(/\s/g, ''));

const paced = (name: string, overrides: Record<string, unknown> = {}) =>
  campaignConfig({ name, maxConcurrentCalls: 1, callsPerSecond: 1, timing: SHORT_TIMING, ...overrides });

describe('console: a campaign run live, the do-not-call list, the webhook inbox, the viewer', () => {
  let stack: TestStack;
  let browser: Browser;
  let tenant: { tenantId: string; apiKey: string };
  let manager: { email: string; password: string };
  let admin: { email: string; password: string };
  let viewer: { email: string; password: string };

  const signedIn = async (user: { email: string; password: string }): Promise<Page> => {
    const page = await (await newContext(browser, stack.apiUrl)).newPage();
    await signIn(page, user.email, user.password);
    return page;
  };
  /** Opens a confirmation with `opener` and confirms it with the dialog's `button`. */
  const confirm = async (page: Page, opener: string, button = opener) => {
    await page.getByRole('button', { name: opener, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: button, exact: true }).click();
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack({ simulator: { scenario } }), launchBrowser()]);
    tenant = await createTenant(stack, 'Console tenant');
    [manager, admin, viewer] = await Promise.all([
      consoleUser(stack.db, tenant.tenantId, 'manager'),
      consoleUser(stack.db, tenant.tenantId, 'admin'),
      consoleUser(stack.db, tenant.tenantId, 'viewer'),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('follows a running campaign live, pauses and resumes it, and exports its results', async () => {
    const phones = phoneList(10, '0533');
    const { id } = await createCampaign(stack, tenant.apiKey, contactsCsv(phones), paced('Live reminders'));
    await campaignAction(stack, tenant.apiKey, id, 'start');

    const page = await signedIn(manager);
    await page.getByRole('link', { name: 'Live reminders' }).click();
    await page.getByRole('heading', { name: 'Live reminders' }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await expectAccessible(page, 'the campaign page while it runs');
    await screenshot(page, 'campaign-running');

    // From the keyboard: the dialog opens on Enter with its Cancel focused, Tab reaches the confirmation.
    await page.getByRole('button', { name: 'Pause', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: /^Pause Live reminders\?/ }).waitFor();
    expect(await page.locator(':focus').textContent()).toBe('Cancel');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.locator('.badge', { hasText: /^paused$/ }).waitFor();
    await waitForCampaign(stack, tenant.apiKey, id, 'paused');
    await confirm(page, 'Resume');
    await page.locator('.badge', { hasText: /^running$/ }).waitFor();

    // No reload from here on: the page follows the campaign through its events.
    await page.getByTestId('finished-of').filter({ hasText: '10 of 10 contacts finished' }).waitFor({ timeout: 90_000 });
    await page.locator('.badge', { hasText: /^completed$/ }).waitFor();
    await expect.poll(() => page.getByTestId('outcome-success').locator('dd').textContent()).toBe('10');
    await expect.poll(() => page.getByTestId('label-YES').locator('dd').textContent()).toBe('10');
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Open in Temporal UI' }).getAttribute('href')).toMatch(new RegExp(`/namespaces/[^/]+/workflows/[^/]*${id}`));
    // Both charts are drawn: bars for the calls over time, and one bar per outcome.
    const chart = (caption: string) => page.locator('figure.chart', { has: page.getByText(caption, { exact: true }) });
    await expect.poll(() => chart('Calls over time').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await expect.poll(() => chart('Outcomes').locator('.recharts-bar-rectangle').count()).toBe(1);
    await expectAccessible(page, 'the completed campaign page');
    await screenshot(page, 'campaign-completed');

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV' }).click()]);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split(/\r?\n/);
    expect(lines).toHaveLength(11);
    for (const phone of phones) expect(lines.some((line) => line.includes(e164(phone)))).toBe(true);
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    expect((await readFile(await xlsx.path())).subarray(0, 2).toString()).toBe('PK');

    // The list shows the finished campaign's progress bar full.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    const bar = page.getByRole('progressbar', { name: 'Progress of Live reminders' });
    await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('100');
    await expectAccessible(page, 'the campaign list');
    await screenshot(page, 'campaign-list');
  });

  it('cancels a running campaign after a confirmation: nobody else is dialled', async () => {
    const phones = phoneList(20, '0537');
    const { id } = await createCampaign(stack, tenant.apiKey, contactsCsv(phones), paced('Cancelled reminders'));
    await campaignAction(stack, tenant.apiKey, id, 'start');
    await expect.poll(() => dialsTo(stack, phones.map(e164)).length, { timeout: 30_000 }).toBeGreaterThan(0);

    const page = await signedIn(manager);
    await page.goto(`/campaigns/${id}`);
    await page.getByRole('heading', { name: 'Cancelled reminders' }).waitFor();
    // Dismissing the question changes nothing.
    await page.getByRole('button', { name: 'Cancel campaign', exact: true }).click();
    await page.getByRole('dialog', { name: /^Cancel Cancelled reminders\?/ }).getByRole('button', { name: 'Cancel', exact: true }).click();
    expect((await getCampaign(stack, tenant.apiKey, id)).status).toBe('running');

    await confirm(page, 'Cancel campaign');
    await page.locator('.badge', { hasText: /^cancelled$/ }).first().waitFor({ timeout: 60_000 });
    await waitForCampaign(stack, tenant.apiKey, id, 'cancelled');
    expect(await page.getByRole('button', { name: 'Cancel campaign' }).count()).toBe(0);
    const dialledAtCancel = dialsTo(stack, phones.map(e164)).length;
    expect(dialledAtCancel).toBeLessThan(phones.length);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(dialsTo(stack, phones.map(e164))).toHaveLength(dialledAtCancel);
    await screenshot(page, 'campaign-cancelled');
  });

  it('adds a number to the do-not-call list and the next call to it is refused; a DONT_CALL answer shows its call', async () => {
    const blocked = '0534 100 00 01';
    const asksNotToCall = '0534 100 00 09';
    // Imported while the number was still callable, started after it was listed: refused at dial time.
    const { id } = await createCampaign(stack, tenant.apiKey, contactsCsv(['0534 100 00 02', blocked, asksNotToCall]), paced('DNC check'));

    const page = await signedIn(manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Do-not-call list' }).click();
    await page.getByLabel('Numbers', { exact: true }).fill(`${blocked}\nnot a number`);
    await page.getByLabel('Reason (optional)').fill('asked by email');
    await page.getByRole('button', { name: 'Add to the list' }).click();
    await page.getByRole('status').filter({ hasText: '1 added, 0 already listed.' }).waitFor();
    // The refused line stays in the box to be corrected.
    expect(await page.getByLabel('Numbers', { exact: true }).inputValue()).toBe('not a number');
    await page.getByRole('cell', { name: e164(blocked), exact: true }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(e164(blocked).replace('+', '\\+')) }).textContent()).toContain('User ');

    await campaignAction(stack, tenant.apiKey, id, 'start');
    await waitForCampaign(stack, tenant.apiKey, id, 'completed');
    expect(dialsTo(stack, [e164(blocked)])).toHaveLength(0);
    await page.goto(`/campaigns/${id}`);
    await expect.poll(() => page.getByTestId('outcome-dnc_blocked').locator('dd').textContent()).toBe('1');

    await page.goto('/dnc');
    await page.getByLabel('Search by number').fill('5341000009');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=5341000009/);
    const asked = page.getByRole('row', { name: /\+905341000009/ });
    await asked.getByText('The person asked during a call').waitFor();
    expect(await asked.getByRole('link', { name: 'open the call' }).getAttribute('href')).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
    // The header and the one match; polled, as the list may re-render between reads.
    await expect.poll(() => page.getByRole('row').count()).toBe(2);
    await expectAccessible(page, 'the do-not-call list');
    await screenshot(page, 'dnc-search');

    await page.goto('/dnc');
    await page
      .getByLabel('CSV or Excel file with one number per row')
      .setInputFiles({ name: 'dnc.csv', mimeType: 'text/csv', buffer: Buffer.from('phone\n0535 100 00 01\n0535 100 00 02\nhello\n') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('status').filter({ hasText: '2 added, 0 already listed, 1 refused.' }).waitFor();

    await confirm(page, `Remove ${e164(blocked)}`, 'Remove');
    await page.getByRole('status').filter({ hasText: `${e164(blocked)} was removed.` }).waitFor();
    await expect.poll(() => page.getByRole('cell', { name: e164(blocked), exact: true }).count()).toBe(0);
    await screenshot(page, 'dnc-after-upload');
  });

  it("shows the tenant admin the webhook inbox with each event's payload", async () => {
    const page = await signedIn(admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhook inbox' }).click();
    await page.getByLabel('Status').selectOption('delivered');
    await page.waitForURL(/status=delivered/);
    const show = page.getByRole('button', { name: /^Show payload of event \d+$/ }).first();
    await show.waitFor();
    await show.click();
    await page.getByRole('heading', { name: /^Payload of event \d+$/ }).waitFor();
    expect(await page.locator('pre.payload').textContent()).toMatch(/"type"|"event"/);
    await expectAccessible(page, 'the webhook inbox');
    await screenshot(page, 'inbox');

    // An event whose delivery gave up is delivered again from its page.
    const newest = await stack.db.selectFrom('webhook_inbox').select('id').where('call_id', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    await stack.db.updateTable('webhook_inbox').set({ status: 'failed', reason: 'gave up (test)' }).where('id', '=', newest.id).execute();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByRole('button', { name: `Show payload of event ${newest.id}` }).click();
    await page.getByRole('button', { name: 'Deliver again' }).click();
    await page.getByRole('status').filter({ hasText: 'Queued for delivery again' }).waitFor();
    await expect.poll(async () => (await stack.db.selectFrom('webhook_inbox').select('status').where('id', '=', newest.id).executeTakeFirstOrThrow()).status).not.toBe('failed');
  });

  it('lets a viewer look but not change anything, and the API refuses them too', async () => {
    const { id } = await createCampaign(stack, tenant.apiKey, contactsCsv(phoneList(1, '0536')), paced('Viewer check'));
    const page = await signedIn(viewer);
    expect(await page.getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Webhook inbox' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Viewer check' }).click();
    await page.getByRole('heading', { name: 'Viewer check' }).waitFor();
    expect(await page.getByRole('link', { name: 'Continue setting up' }).count()).toBe(0);
    await page.goto('/dnc');
    await page.getByRole('heading', { name: 'Do-not-call list' }).waitFor();
    expect(await page.getByRole('button', { name: 'Add to the list' }).count()).toBe(0);

    // Hiding buttons is not the protection: the viewer's own session, CSRF token and all, is refused.
    const refused = await page.evaluate(async (campaignId) => {
      const session = (await (await fetch('/v1/auth/session')).json()) as { csrfToken: string };
      const response = await fetch(`/v1/campaigns/${campaignId}/start`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
      return { status: response.status, body: (await response.json()) as { code: string } };
    }, id);
    expect(refused).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    await screenshot(page, 'viewer-dnc');
  });
});
