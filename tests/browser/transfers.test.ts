import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import {
  consoleUser,
  expectAccessible,
  launchBrowser,
  newContext,
  screenshot,
  signIn,
} from '../support/browser';
import { scenarioContacts, scenarioRule } from '../support/scenario-campaign';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

// The last digit picks the scenario: the agent answers, or is busy.
const SCENARIOS = ['human_agent', 'human_agent_busy'] as const;
const contacts = scenarioContacts(SCENARIOS, '471');
const CSV = [
  'ad,telefon,tutar,son_odeme_tarihi',
  ...contacts.map((c, i) => `Kişi ${i},${c.local},100 TL,2026-12-01`),
].join('\n');
const TRANSFER_NUMBER = '+905551112233';
const config = (name: string, provider: 'ultravox' | 'elevenlabs') => ({
  name,
  callType: 'BILLING_REMINDER',
  provider,
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  maxConcurrentCalls: 2,
  amd: { enabled: false, graceSeconds: 0 },
  retry: { maxAttempts: 1 },
  transferNumber: '0555 111 22 33',
});

/**
 * Issue 24 item 5: the console's calls list and call page show a transferred call, how far its
 * transfer got and the human leg's duration (or that the provider does not report it), and the
 * results export carries the same.
 */
describe('console and export: transferred calls', () => {
  let stack: TestStack;
  let browser: Browser;
  let apiKey: string;
  let viewer: { email: string; password: string };
  const campaigns: Record<'ultravox' | 'elevenlabs', string> = { ultravox: '', elevenlabs: '' };
  const auth = () => ({ authorization: `Bearer ${apiKey}` });
  const rowOf = (page: Page, e164: string) =>
    page.locator('table.calls-table tbody tr').filter({ hasText: e164 });

  async function runCampaign(name: string, provider: 'ultravox' | 'elevenlabs'): Promise<string> {
    const created = await request(stack.apiUrl)
      .post('/v1/campaigns')
      .set(auth())
      .field('config', JSON.stringify(config(name, provider)))
      .attach('file', Buffer.from(CSV), 'kisiler.csv')
      .expect(201);
    const id = created.body.id as string;
    await request(stack.apiUrl).post(`/v1/campaigns/${id}/start`).set(auth()).send({}).expect(200);
    await eventually(
      async () => {
        const res = await request(stack.apiUrl).get(`/v1/campaigns/${id}`).set(auth());
        return res.body.status === 'completed' ? true : undefined;
      },
      90_000,
      `the ${provider} campaign to complete`,
    );
    return id;
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([
      startTestStack({ simulator: { scenario: scenarioRule(SCENARIOS) } }),
      launchBrowser(),
    ]);
    const tenant = await createTenant(stack, 'Transfers tenant');
    apiKey = tenant.apiKey;
    viewer = await consoleUser(stack.db, tenant.tenantId, 'viewer');
    // One after the other: both call the same two numbers.
    campaigns.ultravox = await runCampaign('Aktarma Ultravox', 'ultravox');
    campaigns.elevenlabs = await runCampaign('Aktarma ElevenLabs', 'elevenlabs');
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('lists each call with its transfer: answered with the human leg, busy, or the leg not reported by ElevenLabs', async () => {
    const page = await (await newContext(browser, stack.apiUrl)).newPage();
    await signIn(page, viewer.email, viewer.password);
    await page.goto(`/calls?campaignId=${campaigns.ultravox}`);
    const transferCell = (e164: string) => rowOf(page, e164).locator('td').last();
    await expect
      .poll(() => transferCell(contacts[0]!.e164).innerText())
      .toBe('agent answered · human leg 42 seconds');
    expect(await rowOf(page, contacts[0]!.e164).locator('td').nth(3).innerText()).toBe('transferred');
    expect(await transferCell(contacts[1]!.e164).innerText()).toBe('agent busy');
    expect(await rowOf(page, contacts[1]!.e164).locator('td').nth(3).innerText()).toBe('callback scheduled');
    await expectAccessible(page, 'the calls list with transfers');
    await screenshot(page, 'calls-transfers');

    await page.goto(`/calls?campaignId=${campaigns.elevenlabs}`);
    await expect
      .poll(() => transferCell(contacts[0]!.e164).innerText())
      .toBe('agent answered · human leg not reported by the provider');
    expect(await transferCell(contacts[1]!.e164).innerText()).toBe('transfer failed');
  });

  it("shows a transferred call's page: the number, the stage and the human leg, in Turkish too", async () => {
    const listed = await request(stack.apiUrl)
      .get(`/v1/calls?campaignId=${campaigns.ultravox}&outcome=transferred`)
      .set(auth())
      .expect(200);
    const call = (listed.body.items as { callId: string; transfer: unknown }[])[0]!;
    expect(call.transfer).toEqual({ to: TRANSFER_NUMBER, stage: 'answered', humanSeconds: 42 });
    for (const [locale, expected] of [
      ['en-GB', `${TRANSFER_NUMBER} · agent answered · human leg 42 seconds`],
      ['tr-TR', `${TRANSFER_NUMBER} · temsilci açtı · temsilci görüşmesi 42 saniye`],
    ] as const) {
      const page = await (await newContext(browser, stack.apiUrl, locale)).newPage();
      await signIn(page, viewer.email, viewer.password);
      await page.goto(`/calls/${call.callId}`);
      await expect.poll(() => page.getByTestId('call-transfer').innerText()).toBe(expected);
      expect(await page.getByTestId('timeline').locator('li[data-kind="transfer"]').count()).toBeGreaterThan(
        0,
      );
      if (locale === 'en-GB') await expectAccessible(page, 'a transferred call');
    }
  });

  it('exports each call with its transfer number, stage and human leg, in CSV and in Excel', async () => {
    const csv = await request(stack.apiUrl)
      .get(`/v1/campaigns/${campaigns.ultravox}/results?format=csv`)
      .set(auth())
      .expect(200);
    // A leading + is quoted away as a formula prefix (OWASP CSV injection): read it back without.
    const records = parse<Record<string, string>>(csv.text.replace(/^\uFEFF/, ''), { columns: true }).map(
      (r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.replace(/^'/, '')])),
    );
    const byPhone = new Map(records.map((r) => [r['E.164'], r]));
    expect(byPhone.get(contacts[0]!.e164)).toMatchObject({
      'Transferred to': TRANSFER_NUMBER,
      Transfer: 'answered',
      'Human leg (s)': '42',
    });
    expect(byPhone.get(contacts[1]!.e164)).toMatchObject({
      'Transferred to': TRANSFER_NUMBER,
      Transfer: 'busy',
      'Human leg (s)': '',
    });

    const xlsx = await request(stack.apiUrl)
      .get(`/v1/campaigns/${campaigns.elevenlabs}/results?format=xlsx`)
      .set(auth())
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const column = (name: string) => header.indexOf(name);
    const cells = [2, 3].map((n) => sheet.getRow(n).values as unknown[]);
    const answered = cells.find((row) => row[column('Transfer')] === 'answered')!;
    expect(String(answered[column('Transferred to')]).replace(/^'/, '')).toBe(TRANSFER_NUMBER);
    // ElevenLabs reports no human leg: the cell stays empty rather than invent one.
    expect(answered[column('Human leg (s)')]).toBeUndefined();
    expect(cells.map((row) => row[column('Transfer')]).sort()).toEqual(['answered', 'failed']);
  });
});
