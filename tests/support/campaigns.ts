import request from 'supertest';
import type { ImportReport } from '../../api/import/types';
import type { RecordedDial } from '../../infra/dev/simulator/recorder';
import { eventually, type TestStack } from './stack';

/** Where the API listens: a test stack's, or one of several API processes'. */
export type ApiTarget = Pick<TestStack, 'apiUrl'>;

export interface CampaignBody {
  id: string;
  name: string;
  status: string;
  config: Record<string, unknown>;
  mapping: { phone: string; name: string | null; variables: Record<string, string> };
  report: ImportReport & {
    sample: { phone: string; name: string | null; variables: Record<string, string> }[];
  };
  counts: {
    byStatus: Record<string, number>;
    byOutcome: Record<string, number>;
    byLabel: Record<string, number>;
  };
}

/** Distinct valid Turkish mobile numbers, local format as a spreadsheet holds them. */
export function phoneList(count: number, prefix = '0532'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(1_000_000 + i)}`);
}

export function contactsCsv(
  phones: string[],
  extra: (i: number) => Record<string, string> = () => ({}),
): string {
  const first = extra(0);
  const extraHeaders = Object.keys(first);
  const header = ['ad', 'telefon', 'tutar', 'son_odeme_tarihi', ...extraHeaders].join(',');
  const lines = phones.map((phone, i) => {
    const more = extra(i);
    return [
      `Kişi ${i}`,
      phone,
      `${100 + i} TL`,
      '2026-12-01',
      ...extraHeaders.map((h) => more[h] ?? ''),
    ].join(',');
  });
  return [header, ...lines].join('\n');
}

export function campaignConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test campaign',
    callType: 'BILLING_REMINDER',
    provider: 'elevenlabs',
    language: 'tr',
    defaultCountry: 'TR',
    timezone: 'Europe/Istanbul',
    callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
    maxConcurrentCalls: 5,
    callsPerSecond: 20,
    amd: { enabled: false, graceSeconds: 0 },
    columnMapping: {
      phone: 'telefon',
      name: 'ad',
      variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
    },
    ...overrides,
  };
}

export async function createCampaign(
  stack: ApiTarget,
  apiKey: string,
  csv: string,
  config: Record<string, unknown>,
  filename = 'contacts.csv',
): Promise<{ id: string; body: CampaignBody }> {
  const res = await request(stack.apiUrl)
    .post('/v1/campaigns')
    .set('authorization', `Bearer ${apiKey}`)
    .field('config', JSON.stringify(config))
    .attach('file', Buffer.from(csv), filename)
    .expect(201);
  return { id: res.body.id as string, body: res.body as CampaignBody };
}

/** Uploads the phones as a contact list with `config` and starts the campaign; returns its id. */
export async function startCampaign(
  stack: ApiTarget,
  apiKey: string,
  phones: string[],
  config: Record<string, unknown>,
): Promise<string> {
  const { id } = await createCampaign(stack, apiKey, contactsCsv(phones), config);
  await campaignAction(stack, apiKey, id, 'start');
  return id;
}

export async function campaignAction(
  stack: ApiTarget,
  apiKey: string,
  id: string,
  action: string,
): Promise<CampaignBody> {
  const res = await request(stack.apiUrl)
    .post(`/v1/campaigns/${id}/${action}`)
    .set('authorization', `Bearer ${apiKey}`);
  if (res.status !== 200) throw new Error(`${action} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as CampaignBody;
}

export async function getCampaign(stack: ApiTarget, apiKey: string, id: string): Promise<CampaignBody> {
  const res = await request(stack.apiUrl)
    .get(`/v1/campaigns/${id}`)
    .set('authorization', `Bearer ${apiKey}`)
    .expect(200);
  return res.body as CampaignBody;
}

export async function waitForCampaign(
  stack: ApiTarget,
  apiKey: string,
  id: string,
  status: string,
  timeoutMs = 90_000,
) {
  return eventually(
    async () => {
      const body = await getCampaign(stack, apiKey, id);
      return body.status === status ? body : undefined;
    },
    timeoutMs,
    `campaign ${id} to be ${status}`,
  );
}

/** Dials of the given E.164 numbers. */
export function dialsTo(stack: TestStack, e164s: string[]): RecordedDial[] {
  const wanted = new Set(e164s);
  return stack.sim.dials().filter((d) => wanted.has(d.toNumber));
}

export const e164 = (local: string) => `+90${local.replace(/^0/, '')}`;

/** Most calls live at once, from the dials' start and end times. */
export function maxOverlap(dials: RecordedDial[]): number {
  const events = dials.flatMap((d) => [
    { at: d.startedAt, delta: 1 },
    { at: d.endedAt ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let live = 0;
  let max = 0;
  for (const e of events) {
    live += e.delta;
    max = Math.max(max, live);
  }
  return max;
}
