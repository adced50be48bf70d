import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaign } from '../support/campaigns';
import { consoleUser, expectAccessible, launchBrowser, newContext, screenshot, signIn } from '../support/browser';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

const DEMO_CSV = join(__dirname, '..', '..', 'infra', 'dev', 'demo', 'contacts.csv');
const ID = /\/campaigns\/([0-9a-f-]{36})\/edit/;

/**
 * A workbook whose first sheet is an old list and whose second ("Aralık") has its header off by one
 * column: "Ad Soyad" holds dates, "Telefon" names, "Tutar" the numbers, "Son Ödeme Tarihi" amounts.
 */
async function misalignedWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const old = workbook.addWorksheet('Eski liste');
  old.addRow(['Ad Soyad', 'Telefon']);
  old.addRow(['Eski Kişi', '0532 000 00 01']);
  const december = workbook.addWorksheet('Aralık');
  december.addRow(['Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme Tarihi']);
  december.addRow(['01.12.2026', 'Ayşe Yılmaz', '0532 123 45 67', '1.250,00 TL']);
  december.addRow(['05.12.2026', 'Mehmet Demir', '0533 765 43 21', '980 TL']);
  december.addRow(['10.12.2026', 'Zeynep Kaya', '0534 111 22 33', '450 TL']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const currentStep = (page: Page) => page.locator('ol.steps li[aria-current="step"]').textContent();

/** A step may wait on the API (an upload read, a draft saved): longer than a poll's default second. */
async function atStep(page: Page, label: string, heading: string) {
  await expect.poll(() => currentStep(page), { timeout: 15_000 }).toBe(label);
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

describe('console: the new-campaign wizard', () => {
  let stack: TestStack;
  let browser: Browser;
  let apiKey: string;
  let manager: { email: string; password: string };
  let viewer: { email: string; password: string };

  /** A signed-out page in a browser profile of its own. */
  async function freshPage(locale?: string): Promise<Page> {
    return (await newContext(browser, stack.apiUrl, locale)).newPage();
  }

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
    const tenant = await createTenant(stack, 'Wizard tenant');
    apiKey = tenant.apiKey;
    manager = await consoleUser(stack.db, tenant.tenantId, 'manager');
    viewer = await consoleUser(stack.db, tenant.tenantId, 'viewer');
    // Hülya's number is on the tenant's do-not-call list: the report counts her as a DNC hit.
    await request(stack.apiUrl).post('/v1/dnc').set('authorization', `Bearer ${apiKey}`).send({ phone: '0538 111 22 33' }).expect(200);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('takes the demo list from upload to a started campaign, step by step', async () => {
    const page = await freshPage();
    await signIn(page, manager.email, manager.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New campaign' }).click();

    // 1. Upload: the file input is reached from the keyboard; the bar shows while the upload is held back.
    await atStep(page, '1. File', 'Upload the contact list');
    await page.getByLabel('Campaign name').fill('December reminders');
    await page.getByLabel('Campaign name').focus();
    await page.keyboard.press('Tab');
    expect(await page.locator('input[type=file]:focus').count()).toBe(1);
    await page.locator('input[type=file]').setInputFiles(DEMO_CSV);
    await expect.poll(() => page.getByTestId('chosen-file').textContent()).toContain('contacts.csv');
    await expectAccessible(page, 'the upload step');
    await screenshot(page, 'wizard-1-upload');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/v1/campaigns/drafts', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Upload and continue' }).click();
    await page.getByRole('progressbar', { name: 'Upload progress' }).waitFor();
    await screenshot(page, 'wizard-1-uploading');
    release();

    // 2. Sheet: a CSV has one; the draft already exists and has its own address.
    await atStep(page, '2. Sheet', 'Which sheet holds the contacts?');
    const id = ID.exec(page.url())?.[1] ?? '';
    expect(id).not.toBe('');
    await page.getByRole('heading', { level: 1, name: 'Set up December reminders' }).waitFor();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('contacts.csv is uploaded: 9 rows read.');
    await expectAccessible(page, 'the sheet step of a CSV');
    await screenshot(page, 'wizard-2-sheet');
    await page.getByRole('button', { name: 'Next' }).click();

    // 3. Columns: the server's detection pre-fills every select.
    await atStep(page, '3. Columns', 'What does each column hold?');
    expect(await page.getByLabel('Use of column Telefon').inputValue()).toBe('phone');
    expect(await page.getByLabel('Use of column Ad Soyad').inputValue()).toBe('name');
    expect(await page.getByLabel('Use of column Tutar').inputValue()).toBe('variable');
    expect(await page.getByLabel('Variable name of column Tutar').inputValue()).toBe('amount');
    expect(await page.getByRole('row', { name: /Telefon/ }).textContent()).toContain('phone numbers');
    expect(await page.getByRole('row', { name: /Son Ödeme Tarihi/ }).textContent()).toContain('dates');
    await page.getByLabel('Use of column scenario').selectOption('ignore');
    await expectAccessible(page, 'the mapping step');
    await screenshot(page, 'wizard-3-mapping');
    await page.getByRole('button', { name: 'Next' }).click();

    // 4. Report: 9 rows; one bad number, one duplicate, one on the DNC list; the bad rows download.
    await atStep(page, '4. Check rows', 'How the rows were read');
    await expect.poll(() => page.getByTestId('report-valid').textContent()).toContain('6');
    expect(await page.getByTestId('report-total').textContent()).toContain('9');
    expect(await page.getByTestId('report-invalid').textContent()).toContain('1');
    expect(await page.getByTestId('report-duplicates').textContent()).toContain('1');
    expect(await page.getByTestId('report-dnc').textContent()).toContain('1');
    expect(await page.getByRole('table').textContent()).toContain('12345');
    await expectAccessible(page, 'the report step');
    await screenshot(page, 'wizard-4-report');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the rows that will not be called (CSV)' }).click(),
    ]);
    const rejected = await readFile(await download.path(), 'utf8');
    expect(rejected).toContain('Burak Koç');
    expect(rejected).toContain('Selin Aydın');
    expect(rejected).toContain('Hülya Arslan');
    expect(rejected).not.toContain('Ayşe Yılmaz');
    // Keyboard: Next is reached and pressed without the mouse.
    await page.getByRole('button', { name: 'Next' }).focus();
    await page.keyboard.press('Enter');

    // 5. Opening line, as the call will say it (Turkish script by default).
    await atStep(page, '5. Opening line', 'What the first contacts will hear');
    await expect.poll(() => page.locator('blockquote').first().textContent()).toContain('Merhaba Ayşe Yılmaz');
    expect(await page.locator('blockquote').first().textContent()).toContain('1.250,00 TL');
    await expectAccessible(page, 'the opening-line step');
    await screenshot(page, 'wizard-5-opening');
    await page.getByRole('button', { name: 'Next' }).click();

    // 6. Settings: a refused value is shown on its field and stays as typed, with the rest.
    await atStep(page, '6. Settings', 'Campaign settings');
    await page.getByLabel('Calls at once').fill('2');
    await page.getByLabel('Transfer number').fill('0212 555 00 00');
    await page.getByLabel('From (HH:MM)').fill('25:00');
    await page.getByLabel('Until (HH:MM)').fill('24:00');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('The campaign settings need correcting.');
    const start = page.getByLabel('From (HH:MM)');
    expect(await start.getAttribute('aria-invalid')).toBe('true');
    // The refused field takes the focus, so it is on screen and its message is read out.
    const startId = await start.getAttribute('id');
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe(startId);
    const describedBy = (await start.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toBe('expected HH:MM (00:00-24:00)');
    expect(await start.inputValue()).toBe('25:00');
    expect(await page.getByLabel('Calls at once').inputValue()).toBe('2');
    expect(await page.getByLabel('Transfer number').inputValue()).toBe('0212 555 00 00');
    await expectAccessible(page, 'the settings step with an error');
    await screenshot(page, 'wizard-6-settings-error');
    await start.fill('00:00');
    // Enter in a field submits the step, as any form does.
    await start.press('Enter');

    // 7. Test call: a number that cannot be called is refused on the field; a good one is placed.
    await atStep(page, '7. Test call', 'Test call');
    const stored = await getCampaign(stack, apiKey, id);
    expect(stored.config).toMatchObject({ maxConcurrentCalls: 2, transferNumber: '+902125550000', callingWindow: { start: '00:00', end: '24:00' } });
    await page.getByLabel('Your phone number').fill('abc');
    await page.getByRole('button', { name: 'Call me' }).click();
    await expect.poll(() => page.getByLabel('Your phone number').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('not a valid phone number').count()).toBeGreaterThan(0);
    await page.getByLabel('Your phone number').fill('0532 999 88 77');
    await page.getByRole('button', { name: 'Call me' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Test call placed to');
    const callLink = page.getByRole('link', { name: 'Follow the test call' });
    expect(await callLink.getAttribute('href')).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
    await expectAccessible(page, 'the test-call step');
    await screenshot(page, 'wizard-7-test-call');
    await page.getByRole('button', { name: 'Next' }).click();

    // 8. Review and start: confirmed in a dialog, then the campaign's page.
    await atStep(page, '8. Start', 'Review and start');
    const summary = await page.locator('dl.summary').textContent();
    expect(summary).toContain('December reminders');
    expect(summary).toContain('contacts.csv');
    expect(summary).toContain('00:00–24:00, every day (Europe/Istanbul)');
    await expectAccessible(page, 'the review step');
    await screenshot(page, 'wizard-8-review');
    await page.getByRole('button', { name: 'Start campaign' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Start December reminders now? 6 contacts will be called.');
    await expectAccessible(page, 'the start confirmation');
    await screenshot(page, 'wizard-8-confirm');
    await dialog.getByRole('button', { name: 'Start campaign' }).click();
    await page.waitForURL(new RegExp(`/campaigns/${id}$`));
    expect((await getCampaign(stack, apiKey, id)).status).not.toBe('draft');
  });

  it('warns about a name column of dates before saving, fixes a shifted header, and resumes the draft later', async () => {
    const page = await freshPage();
    await signIn(page, manager.email, manager.password);
    await page.goto('/campaigns/new');
    await page.locator('input[type=file]').setInputFiles({
      name: 'Aralık listesi.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await misalignedWorkbook(),
    });
    await page.getByRole('button', { name: 'Upload and continue' }).click();

    // The workbook's sheets; the contacts are on the second.
    await atStep(page, '2. Sheet', 'Which sheet holds the contacts?');
    const id = ID.exec(page.url())?.[1] ?? '';
    await page.getByRole('heading', { level: 1, name: 'Set up Aralık listesi' }).waitFor();
    expect(await page.getByRole('radio', { name: 'Eski liste' }).isChecked()).toBe(true);
    // The file is uploaded: there is no going back to before it, only on.
    expect(await page.getByRole('button', { name: 'Back' }).count()).toBe(0);
    expect(await page.getByRole('status').textContent()).toBe('Aralık listesi.xlsx is uploaded: 1 row read from sheet Eski liste.');
    await page.getByRole('radio', { name: 'Aralık' }).check();
    await expectAccessible(page, 'the sheet step of a workbook');
    await screenshot(page, 'wizard-2-sheets');
    await page.getByRole('button', { name: 'Next' }).click();

    // The server refused "Ad Soyad" as the name and says so; the kinds show the shift.
    await atStep(page, '3. Columns', 'What does each column hold?');
    await expect.poll(() => page.getByTestId('mapping-warnings').textContent()).toContain('“Ad Soyad” is not used as the name: its values are dates.');
    expect(await page.getByTestId('mapping-warnings').textContent()).toContain('No column fills “name”');
    expect(await page.getByRole('row', { name: /Ad Soyad/ }).textContent()).toContain('dates');
    expect(await page.getByRole('row', { name: /Tutar/ }).textContent()).toContain('phone numbers');
    expect(await page.getByLabel('Use of column Telefon').inputValue()).toBe('phone');

    // Choosing the dates as the name warns at once, before anything is stored.
    await page.getByLabel('Use of column Ad Soyad').selectOption('name');
    await expect.poll(() => page.getByTestId('dates-as-name').textContent()).toContain('“Ad Soyad” holds dates (01.12.2026, 05.12.2026, 10.12.2026)');
    expect((await getCampaign(stack, apiKey, id)).config).not.toHaveProperty('columnMapping');
    await expectAccessible(page, 'the mapping step with the dates warning');
    await screenshot(page, 'wizard-3-dates-as-name');

    // Two phone columns are refused on the fields, before anything is sent.
    await page.getByLabel('Use of column Ad Soyad').selectOption('variable');
    await page.getByLabel('Variable name of column Ad Soyad').fill('due_date');
    await page.getByLabel('Use of column Tutar').selectOption('phone');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.getByLabel('Use of column Tutar').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText('Choose exactly one phone number column.').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('dates-as-name').count()).toBe(0);
    await screenshot(page, 'wizard-3-two-phones');

    // The fix: the names are under "Telefon", the amounts under "Son Ödeme Tarihi".
    await page.getByLabel('Use of column Telefon').selectOption('name');
    await page.getByLabel('Use of column Son Ödeme Tarihi').selectOption('variable');
    await page.getByLabel('Variable name of column Son Ödeme Tarihi').fill('amount');
    expect(await page.getByLabel('Variable name of column Ad Soyad').inputValue()).toBe('due_date');
    await page.getByRole('button', { name: 'Next' }).click();
    await atStep(page, '4. Check rows', 'How the rows were read');
    await expect.poll(() => page.getByTestId('report-valid').textContent()).toContain('3');
    expect(await page.getByText('Every row can be called.').count()).toBe(1);
    expect((await getCampaign(stack, apiKey, id)).config.columnMapping).toEqual({
      phone: 'Tutar',
      name: 'Telefon',
      variables: { due_date: 'Ad Soyad', amount: 'Son Ödeme Tarihi' },
    });
    await page.getByRole('button', { name: 'Next' }).click();
    await expect.poll(() => page.locator('blockquote').first().textContent()).toContain('Merhaba Ayşe Yılmaz');
    expect(await page.locator('blockquote').first().textContent()).toContain('01.12.2026');

    // Leaving half-way: the campaign list links the draft back into the wizard, as it was saved.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('link', { name: 'Aralık listesi' }).click();
    await page.waitForURL(new RegExp(`/campaigns/${id}/edit`));
    await atStep(page, '2. Sheet', 'Which sheet holds the contacts?');
    expect(await page.getByRole('radio', { name: 'Aralık' }).isChecked()).toBe(true);
    await page.getByRole('link', { name: '3. Columns' }).click();
    await atStep(page, '3. Columns', 'What does each column hold?');
    expect(await page.getByLabel('Use of column Tutar').inputValue()).toBe('phone');
    expect(await page.getByLabel('Use of column Telefon').inputValue()).toBe('name');
    // A reload keeps the step too: it is in the address.
    await page.reload();
    await atStep(page, '3. Columns', 'What does each column hold?');
    expect(await page.getByLabel('Variable name of column Son Ödeme Tarihi').inputValue()).toBe('amount');

    // Scheduled rather than started: the time is typed in the browser's local time.
    await page.getByRole('link', { name: '8. Start' }).click();
    await atStep(page, '8. Start', 'Review and start');
    await page.getByRole('radio', { name: 'Schedule for' }).check();
    expect(await page.getByRole('button', { name: 'Schedule campaign' }).isDisabled()).toBe(true);
    const tomorrow = new Date(Date.now() + 24 * 3600_000);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T10:30`;
    await page.getByLabel('Start at').fill(local);
    await expectAccessible(page, 'the review step, scheduling');
    await screenshot(page, 'wizard-8-schedule');
    await page.getByRole('button', { name: 'Schedule campaign' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Schedule Aralık listesi? 3 contacts will be called from');
    await page.getByRole('dialog').getByRole('button', { name: 'Schedule campaign' }).click();
    await page.waitForURL(new RegExp(`/campaigns/${id}$`));
    const scheduled = (await getCampaign(stack, apiKey, id)) as unknown as { status: string; startAt: string };
    expect(scheduled.status).toBe('scheduled');
    expect(new Date(scheduled.startAt).getTime()).toBe(new Date(local).getTime());
  });

  it('speaks Turkish: a refused file in words, the name kept, then a dropped file', async () => {
    const page = await freshPage('tr-TR');
    await signIn(page, manager.email, manager.password);
    await page.goto('/campaigns/new');
    await page.getByRole('heading', { level: 2, name: 'Kişi listesini yükleyin' }).waitFor();
    expect(await currentStep(page)).toBe('1. Dosya');
    // A list without phone numbers is refused in words, and the typed name stays.
    await page.getByLabel('Kampanya adı').fill('Aralık hatırlatmaları');
    await page.locator('input[type=file]').setInputFiles({ name: 'notlar.csv', mimeType: 'text/csv', buffer: Buffer.from('Ad Soyad,Not\nAyşe,merhaba\n') });
    await page.getByRole('button', { name: 'Yükle ve devam et' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Bu dosyanın hiçbir sütununda telefon numarası yok.');
    expect(await page.getByLabel('Kampanya adı').inputValue()).toBe('Aralık hatırlatmaları');
    await expectAccessible(page, 'the upload step with a refused file, in Turkish');
    await screenshot(page, 'wizard-1-refused-tr');
    // Dropped onto the zone rather than picked.
    const csv = await readFile(DEMO_CSV, 'utf8');
    // Text, since the tests are compiled without the DOM library; it runs in the page.
    const dropped = await page.evaluateHandle(
      `(() => { const t = new DataTransfer(); t.items.add(new File([${JSON.stringify(csv)}], 'contacts.csv', { type: 'text/csv' })); return t; })()`,
    );
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    await expect.poll(() => page.getByTestId('chosen-file').textContent()).toContain('contacts.csv');
    await page.getByRole('button', { name: 'Yükle ve devam et' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aralık hatırlatmaları kurulumu' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Kişiler hangi sayfada?' }).waitFor();
    await page.getByRole('button', { name: 'İleri' }).click();
    await page.getByRole('heading', { level: 2, name: 'Her sütunda ne var?' }).waitFor();
    expect(await page.getByLabel('Telefon sütununun kullanımı').inputValue()).toBe('phone');
    await expectAccessible(page, 'the mapping step in Turkish');
    await screenshot(page, 'wizard-3-mapping-tr');
  });

  it('is not offered to a viewer, and the API refuses a viewer’s start', async () => {
    const { id } = (await request(stack.apiUrl)
      .post('/v1/campaigns/drafts')
      .set('authorization', `Bearer ${apiKey}`)
      .attach('file', await readFile(DEMO_CSV), 'contacts.csv')
      .expect(201)).body as { id: string };
    const page = await freshPage();
    await signIn(page, viewer.email, viewer.password);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New campaign' }).count()).toBe(0);
    await page.goto('/campaigns/new');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your role (viewer) can look at campaigns but not set one up.');
    expect(await page.locator('input[type=file]').count()).toBe(0);
    await expectAccessible(page, 'the wizard refused to a viewer');
    await screenshot(page, 'wizard-viewer');
    await page.goto(`/campaigns/${id}/edit?step=review`);
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your role (viewer)');
    expect(await page.getByRole('button', { name: 'Start campaign' }).count()).toBe(0);
    const refused = await page.evaluate(async (campaignId) => {
      const session = (await (await fetch('/v1/auth/session')).json()) as { csrfToken: string };
      const res = await fetch(`/v1/campaigns/${campaignId}/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: '{}',
      });
      return { status: res.status, code: ((await res.json()) as { code: string }).code };
    }, id);
    expect(refused).toEqual({ status: 403, code: 'FORBIDDEN_ROLE' });
    expect((await getCampaign(stack, apiKey, id)).status).toBe('draft');
  });
});
