import type { Database } from '../../schema/database';

/** The rows a call attempt belongs to. */
export interface AttemptOwner {
  tenant_id: string;
  campaign_id: string;
  contact_id: string;
}

/** A tenant, a campaign and one contact to `phone`, written straight to the tables. */
export async function insertContactRows(db: Database, name: string, phone: string): Promise<AttemptOwner> {
  const tenant = await db.insertInto('tenants').values({ name }).returning('id').executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto('campaigns')
    .values({ tenant_id: tenant.id, name, config: '{}', mapping: '{}', report: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const contact = await db
    .insertInto('contacts')
    .values({
      campaign_id: campaign.id,
      tenant_id: tenant.id,
      row_number: 2,
      seq: 1,
      phone_e164: phone,
      raw_phone: phone,
      variables: '{}',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { tenant_id: tenant.id, campaign_id: campaign.id, contact_id: contact.id };
}
