import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Database } from '../../schema/database';
import { callWorkflowId } from '../../workflows/workflow-ids';

/** No worker polls it: the workflows stay open and take signals, as live calls do. */
const IDLE_TASK_QUEUE = 'bench-webhooks-idle';

/**
 * Call rows with open `call-<id>` workflows, so that events naming them take the delivery path a
 * real call's webhooks take (find the call, signal its workflow) rather than the orphan path.
 */
export async function createLiveCalls(db: Database, temporal: Client, count: number): Promise<string[]> {
  const tenant = await db
    .insertInto('tenants')
    .values({ name: 'bench' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const campaign = await db
    .insertInto('campaigns')
    .values({ tenant_id: tenant.id, name: 'bench', config: '{}', mapping: '{}', report: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const phones = Array.from({ length: count }, (_, i) => `+90532${String(i).padStart(7, '0')}`);
  const contacts = await db
    .insertInto('contacts')
    .values(
      phones.map((phone, i) => ({
        campaign_id: campaign.id,
        tenant_id: tenant.id,
        row_number: i + 1,
        seq: i + 1,
        phone_e164: phone,
        raw_phone: phone,
        variables: '{}',
      })),
    )
    .returning(['id', 'phone_e164'])
    .execute();
  const callIds = contacts.map(() => randomUUID());
  await db
    .insertInto('call_attempts')
    .values(
      contacts.map((contact, i) => ({
        id: callIds[i]!,
        tenant_id: tenant.id,
        campaign_id: campaign.id,
        contact_id: contact.id,
        attempt: 1,
        to_number: contact.phone_e164,
        provider: 'elevenlabs',
        workflow_id: callWorkflowId(callIds[i]!),
      })),
    )
    .execute();
  for (const callId of callIds) {
    await temporal.workflow.start('callWorkflow', {
      workflowId: callWorkflowId(callId),
      taskQueue: IDLE_TASK_QUEUE,
      args: [],
    });
  }
  return callIds;
}
