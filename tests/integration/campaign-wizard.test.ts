import { parse as parseCsv } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../domain/phone';
import { flowViewQuery } from '../../workflows/call.messages';
import { callWorkflowId } from '../../workflows/workflow-ids';
import { dialsTo, e164, phoneList, waitForCampaign } from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { xlsx } from '../unit/import/fixtures';

const HEADER = ['Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme Tarihi'];
const FAST = {
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  amd: { enabled: false, graceSeconds: 0 },
  callsPerSecond: 20,
};

/** Valid rows, then a bad number and a repeat of the first: two rows the import refuses. */
function rows(phones: string[]): string[][] {
  return [
    ...phones.map((phone, i) => [`Kişi ${i}`, phone, `${100 + i} TL`, '01.12.2026']),
    ['Hatalı', '12345', '5 TL', '01.12.2026'],
    ['Tekrar', phones[0]!, '6 TL', '01.12.2026'],
  ];
}

const csvOf = (table: string[][]) => [HEADER, ...table].map((r) => r.join(',')).join('\n');

describe('new-campaign wizard', () => {
  let stack: TestStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: { scenario: 'human_yes', timing: { ringMs: 100, talkMs: 300, webhookDelayMs: 10 } },
    });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  const api = () => request(stack.apiUrl);
  const auth = (r: request.Test) => r.set('authorization', `Bearer ${apiKey}`);

  function draft(file: Buffer, fileName: string, fields: { config?: object; sheet?: string } = {}) {
    let req = auth(api().post('/v1/campaigns/drafts')).attach('file', file, fileName);
    if (fields.config) req = req.field('config', JSON.stringify(fields.config));
    if (fields.sheet) req = req.field('sheet', fields.sheet);
    return req;
  }

  it('makes a draft from the file alone: default config, proposed mapping, report', async () => {
    const res = await draft(Buffer.from(csvOf(rows(phoneList(3, '0541')))), 'Aralık ödemeleri.csv').expect(
      201,
    );
    expect(res.body).toMatchObject({
      status: 'draft',
      name: 'Aralık ödemeleri',
      config: {
        name: 'Aralık ödemeleri',
        callType: 'BILLING_REMINDER',
        language: 'tr',
        defaultCountry: 'TR',
      },
      mapping: {
        proposed: true,
        phone: 'Telefon',
        name: 'Ad Soyad',
        variables: { amount: 'Tutar', due_date: 'Son Ödeme Tarihi' },
      },
      report: { total: 5, valid: 3, invalid: 1, duplicates: 1 },
    });
    const bad = await draft(Buffer.from(csvOf(rows(phoneList(1, '0542')))), 'x.csv', {
      config: { callType: 'SPAM' },
    }).expect(400);
    expect(bad.body.code).toBe('INVALID_CAMPAIGN_CONFIG');
    const noFile = await auth(api().post('/v1/campaigns/drafts')).field('sheet', 'x').expect(400);
    expect(noFile.body.code).toBe('FILE_REQUIRED');
  });

  it('shows sheets and columns with samples and kinds, flags a name column of dates, switches sheet', async () => {
    const good = phoneList(3, '0543');
    // The first sheet is shifted: its "Ad Soyad" column holds the due dates.
    const shifted = good.map((phone, i) => [`01.1${i}.2026`, phone, `${100 + i} TL`, `Kişi ${i}`]);
    const file = await xlsx([
      { name: 'Kaydırılmış', rows: [HEADER, ...shifted] },
      { name: 'Düzgün', rows: [HEADER, ...rows(good)] },
    ]);
    const created = await draft(file, 'liste.xlsx').expect(201);
    const id = created.body.id as string;
    expect(created.body.mapping.name).toBeNull();

    const columns = await auth(api().get(`/v1/campaigns/${id}/columns`)).expect(200);
    expect(columns.body.sheets).toEqual(['Kaydırılmış', 'Düzgün']);
    expect(columns.body.sheet).toBe('Kaydırılmış');
    expect(columns.body.columns).toEqual([
      // Not the name; kept as a variable, as every unmapped column is.
      {
        header: 'Ad Soyad',
        samples: ['01.10.2026', '01.11.2026', '01.12.2026'],
        kind: 'date',
        mappedAs: { field: 'variable', variable: 'ad_soyad' },
      },
      { header: 'Telefon', samples: good, kind: 'phone', mappedAs: { field: 'phone' } },
      {
        header: 'Tutar',
        samples: ['100 TL', '101 TL', '102 TL'],
        kind: 'number',
        mappedAs: { field: 'variable', variable: 'amount' },
      },
      {
        header: 'Son Ödeme Tarihi',
        samples: ['Kişi 0', 'Kişi 1', 'Kişi 2'],
        kind: 'text',
        mappedAs: { field: 'variable', variable: 'due_date' },
      },
    ]);
    // Refused as the name, so the script's {{name}} has no column either.
    expect(columns.body.warnings.map((w: { code: string; column: string }) => [w.code, w.column])).toEqual([
      ['NAME_COLUMN_HOLDS_DATES', 'Ad Soyad'],
      ['REQUIRED_VARIABLE_NOT_MAPPED', 'name'],
    ]);
    expect(columns.body.warnings[0].samples).toEqual(['01.10.2026', '01.11.2026', '01.12.2026']);

    const switched = await auth(api().put(`/v1/campaigns/${id}/sheet`))
      .send({ sheet: 'Düzgün' })
      .expect(200);
    expect(switched.body).toMatchObject({
      config: { sheet: 'Düzgün' },
      mapping: { name: 'Ad Soyad', proposed: true },
      report: { total: 5, valid: 3, invalid: 1, duplicates: 1 },
    });
    const after = await auth(api().get(`/v1/campaigns/${id}/columns`)).expect(200);
    expect(after.body.sheet).toBe('Düzgün');
    expect(after.body.warnings).toEqual([]);
    expect(after.body.columns[0]).toMatchObject({
      header: 'Ad Soyad',
      kind: 'name',
      mappedAs: { field: 'name' },
    });
    const missing = await auth(api().put(`/v1/campaigns/${id}/sheet`))
      .send({ sheet: 'Yok' })
      .expect(422);
    expect(missing.body.code).toBe('SHEET_NOT_FOUND');
  });

  it('replaces the config of a draft, contacts following it, and only of a draft', async () => {
    const created = await draft(Buffer.from(csvOf(rows(phoneList(2, '0544')))), 'kargo.csv').expect(201);
    const id = created.body.id as string;
    const config = { ...created.body.config, name: 'Kargo bildirimi', callType: 'SHIPPING_UPDATE', ...FAST };
    const updated = await auth(api().put(`/v1/campaigns/${id}/config`))
      .send(config)
      .expect(200);
    expect(updated.body.name).toBe('Kargo bildirimi');
    expect(updated.body.config.callType).toBe('SHIPPING_UPDATE');
    // A shipping update needs a tracking number the list does not have.
    expect(updated.body.report.valid).toBe(0);
    expect(updated.body.report.errors.map((e: { code: string }) => e.code)).toContain('MISSING_VARIABLE');
    const invalid = await auth(api().put(`/v1/campaigns/${id}/config`))
      .send({ ...config, timezone: 'Mars/Base' })
      .expect(400);
    expect(invalid.body.code).toBe('INVALID_CAMPAIGN_CONFIG');

    await auth(api().put(`/v1/campaigns/${id}/config`))
      .send({ ...config, callType: 'BILLING_REMINDER' })
      .expect(200);
    await auth(api().post(`/v1/campaigns/${id}/start`)).expect(200);
    for (const [method, path, body] of [
      ['put', 'config', config],
      ['put', 'sheet', { sheet: 'x' }],
      ['put', 'mapping', { columnMapping: { phone: 'Telefon' } }],
      ['post', 'test-call', { toNumber: '05321234567' }],
    ] as const) {
      const refused = await auth(api()[method](`/v1/campaigns/${id}/${path}`))
        .send(body)
        .expect(409);
      expect(refused.body.code).toBe('CAMPAIGN_NOT_DRAFT');
    }
    await waitForCampaign(stack, apiKey, id, 'completed');
  });

  it('downloads the rejected rows as uploaded, with their error codes', async () => {
    const phones = phoneList(2, '0545');
    const created = await draft(Buffer.from(csvOf(rows(phones))), 'rejected.csv').expect(201);
    const res = await auth(api().get(`/v1/campaigns/${created.body.id}/report/rejected?format=csv`)).expect(
      200,
    );
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    // Every field is quoted (a Turkish Excel splits on ;): read it back as a spreadsheet would.
    const [header, ...rejected] = parseCsv(res.text.replace(/^\uFEFF/, ''));
    expect(header).toEqual(['row', 'Ad Soyad', 'Telefon', 'Tutar', 'Son Ödeme Tarihi', 'error_codes', 'error_messages']);
    expect(rejected.map((row) => row.slice(0, 6))).toEqual([
      ['4', 'Hatalı', '12345', '5 TL', '01.12.2026', 'INVALID_PHONE'],
      ['5', 'Tekrar', phones[0], '6 TL', '01.12.2026', 'DUPLICATE_PHONE'],
    ]);
  });

  it('previews the opening lines the calls will say, and test-calls a typed number with the same script', async () => {
    const phones = phoneList(3, '0546');
    const created = await draft(Buffer.from(csvOf(rows(phones))), 'test.csv', { config: FAST }).expect(201);
    const id = created.body.id as string;
    const preview = await auth(api().get(`/v1/campaigns/${id}/opening-lines?limit=2`)).expect(200);
    expect(preview.body.items).toHaveLength(2);
    const [first] = preview.body.items as {
      contactId: string;
      row: number;
      name: string;
      toNumber: string;
      line: string;
    }[];
    expect(first).toMatchObject({ row: 2, name: 'Kişi 0' });
    expect(first!.toNumber).toBe(maskPhone(e164(phones[0]!)));
    expect(first!.line).toContain('Kişi 0');
    expect(first!.line).toContain('100 TL');

    const bad = await auth(api().post(`/v1/campaigns/${id}/test-call`))
      .send({ toNumber: '123' })
      .expect(400);
    expect(bad.body.code).toBe('INVALID_PHONE');
    const mine = '0555 111 22 33';
    const started = await auth(api().post(`/v1/campaigns/${id}/test-call`))
      .send({ toNumber: mine })
      .expect(202);
    const callId = started.body.callId as string;
    expect(started.body.contactId).toBe(first!.contactId);

    const call = await eventually(
      async () => {
        const res = await auth(api().get(`/v1/calls/${callId}`)).expect(200);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      30_000,
      'test call completed',
    );
    expect(call).toMatchObject({ campaignId: id, contactId: null, toNumber: '+905551112233' });
    expect(dialsTo(stack, ['+905551112233'])).toHaveLength(1);
    // The line the call opened with is the one the preview showed.
    const flow = await stack.client.workflow.getHandle(callWorkflowId(callId)).query(flowViewQuery);
    expect(flow.opening).toBe(first!.line);

    // Not a contact of the campaign: no counter, no call of its list, nobody on the list dialled.
    const campaign = await auth(api().get(`/v1/campaigns/${id}`)).expect(200);
    expect(campaign.body.status).toBe('draft');
    expect(campaign.body.counts).toEqual(created.body.counts);
    expect(campaign.body.counts.byStatus).toEqual({ queued: 3 });
    const calls = await auth(api().get(`/v1/campaigns/${id}/calls`)).expect(200);
    expect(calls.body.items).toEqual([]);
    expect(dialsTo(stack, phones.map(e164))).toHaveLength(0);
  });

  it('starts at a scheduled time, and a scheduled campaign can be cancelled before it dials', async () => {
    const phones = phoneList(2, '0547');
    const created = await draft(Buffer.from(csvOf(rows(phones))), 'later.csv', { config: FAST }).expect(201);
    const id = created.body.id as string;
    const startAt = new Date(Date.now() + 4000);
    const scheduled = await auth(api().post(`/v1/campaigns/${id}/start`))
      .send({ startAt: startAt.toISOString() })
      .expect(200);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', startAt: startAt.toISOString() });
    const done = await waitForCampaign(stack, apiKey, id, 'completed');
    expect(done.counts.byStatus).toEqual({ completed: 2 });
    const dials = dialsTo(stack, phones.map(e164));
    expect(dials).toHaveLength(2);
    for (const dial of dials) expect(dial.startedAt).toBeGreaterThanOrEqual(startAt.getTime() - 50);

    const others = phoneList(2, '0548');
    const second = await draft(Buffer.from(csvOf(rows(others))), 'never.csv', { config: FAST }).expect(201);
    await auth(api().post(`/v1/campaigns/${second.body.id}/start`))
      .send({ startAt: new Date(Date.now() + 60_000).toISOString() })
      .expect(200);
    const cancelled = await auth(api().post(`/v1/campaigns/${second.body.id}/cancel`)).expect(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', counts: { byStatus: { cancelled: 2 } } });
    const bad = await auth(api().post(`/v1/campaigns/${second.body.id}/start`))
      .send({ startAt: 'tomorrow' })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(dialsTo(stack, others.map(e164))).toHaveLength(0);
  });
});
