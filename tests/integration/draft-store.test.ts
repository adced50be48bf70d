import { describe, expect, it } from 'vitest';
import { insertDraftCampaign, type NewContactRow } from '../../schema/repositories/campaigns.repository';
import { tenantDatabase } from '../support/database';

const contact = (seq: number, overrides: Partial<NewContactRow> = {}): NewContactRow => ({
  rowNumber: seq + 2,
  phoneE164: `+90532000${String(seq).padStart(4, '0')}`,
  rawPhone: `0532 000 ${seq}`,
  name: `Kişi ${seq}`,
  variables: { amount: '10 TL' },
  sourceCells: [`Kişi ${seq}`, `0532 000 ${seq}`],
  ...overrides,
});

function draft(tenantId: string, contacts: NewContactRow[]) {
  return {
    tenantId,
    name: 'Draft store',
    config: { name: 'Draft store' },
    mapping: {},
    report: {},
    sourceFileName: 'list.xlsx',
    sheet: { headers: ['Ad', 'Telefon'], rows: contacts.map((c) => c.sourceCells) },
    contacts,
  };
}

describe('draft store (contacts by COPY)', () => {
  const store = tenantDatabase('Draft store');

  it('stores cells with tabs, newlines, backslashes and \\N text exactly as given', async () => {
    const awkward = 'a\tb\nc\r\nd\\e \\N "q" ünïcode';
    const contacts = [
      contact(0, { name: awkward, rawPhone: '\\N', variables: { note: awkward, empty: '' } }),
      contact(1, { name: null, sourceCells: null }),
      contact(2, { sourceCells: [awkward, ''] }),
    ];
    const id = await store.db
      .transaction()
      .execute((trx) => insertDraftCampaign(trx, draft(store.tenantId, contacts)));

    const stored = await store.db
      .selectFrom('contacts')
      .select(['seq', 'row_number', 'phone_e164', 'raw_phone', 'name', 'variables', 'source_cells'])
      .where('campaign_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(stored).toEqual(
      contacts.map((c, seq) => ({
        seq,
        row_number: c.rowNumber,
        phone_e164: c.phoneE164,
        raw_phone: c.rawPhone,
        name: c.name,
        variables: c.variables,
        source_cells: c.sourceCells,
      })),
    );
    const source = await store.db
      .selectFrom('campaign_sources')
      .select('sheet')
      .where('campaign_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(source.sheet).toEqual(draft(store.tenantId, contacts).sheet);
  });

  it('leaves nothing behind when the COPY fails part-way', async () => {
    const before = await store.db
      .selectFrom('campaigns')
      .select('id')
      .where('tenant_id', '=', store.tenantId)
      .execute();
    // A repeated number breaks contacts_campaign_phone_uq well after the first rows were sent.
    const contacts = Array.from({ length: 3000 }, (_, seq) => contact(seq));
    contacts.push(contact(3000, { phoneE164: contacts[10]!.phoneE164 }));
    await expect(
      store.db.transaction().execute((trx) => insertDraftCampaign(trx, draft(store.tenantId, contacts))),
    ).rejects.toThrow(/contacts_campaign_phone_uq/);

    const after = await store.db
      .selectFrom('campaigns')
      .select('id')
      .where('tenant_id', '=', store.tenantId)
      .execute();
    expect(after).toEqual(before);
    const orphans = await store.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', store.tenantId)
      .where(
        'campaign_id',
        'not in',
        before.map((c) => c.id).concat(['00000000-0000-0000-0000-000000000000']),
      )
      .executeTakeFirstOrThrow();
    expect(Number(orphans.n)).toBe(0);
    // The pool's connections are usable again after the failed COPY.
    const { n } = await store.db
      .selectFrom('tenants')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBeGreaterThan(0);
  });
});
