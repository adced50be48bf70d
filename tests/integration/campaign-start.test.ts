import { Client, WorkflowNotFoundError } from '@temporalio/client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../api/create-app';
import { requestCampaignStart } from '../../schema/repositories/campaign-start';
import { campaignWorkflowId } from '../../workflows/workflow-ids';
import {
  campaignAction,
  campaignConfig,
  contactsCsv,
  createCampaign,
  dialsTo,
  e164,
  getCampaign,
  phoneList,
  waitForCampaign,
} from '../support/campaigns';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

describe('campaign start, reconciled', () => {
  let stack: TestStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { CAMPAIGN_RECONCILE_SECONDS: '2' } });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  const pendingSince = async (id: string) =>
    (
      await stack.db
        .selectFrom('campaigns')
        .select('workflow_pending_since')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).workflow_pending_since;

  async function expectNoWorkflow(id: string): Promise<void> {
    await expect(stack.client.workflow.getHandle(campaignWorkflowId(id)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
  }

  it('starts the workflow of a campaign left running by a start that never reached Temporal', async () => {
    const phones = phoneList(2, '0538');
    const { id } = await createCampaign(stack, apiKey, contactsCsv(phones), campaignConfig());
    // The API's first step of a start, then nothing: the process died before starting the workflow.
    expect(await requestCampaignStart(stack.db, id)).toBe(true);
    await expectNoWorkflow(id);
    expect((await getCampaign(stack, apiKey, id)).status).toBe('running');
    const done = await waitForCampaign(stack, apiKey, id, 'completed', 60_000);
    expect(done.counts.byStatus).toEqual({ completed: 2 });
    expect(dialsTo(stack, phones.map(e164))).toHaveLength(2);
    expect(await pendingSince(id)).toBeNull();
  });

  it('starts a lost scheduled start at its time, not before', async () => {
    const phones = phoneList(1, '0539');
    const { id } = await createCampaign(stack, apiKey, contactsCsv(phones), campaignConfig());
    const startAt = new Date(Date.now() + 4_000);
    expect(await requestCampaignStart(stack.db, id, startAt)).toBe(true);
    await waitForCampaign(stack, apiKey, id, 'completed', 60_000);
    const [dial] = dialsTo(stack, phones.map(e164));
    expect(dial!.startedAt).toBeGreaterThanOrEqual(startAt.getTime());
  });

  it('leaves a draft, and says so, when Temporal refuses the workflow', async () => {
    const refusing = {
      workflow: { start: () => Promise.reject(new Error('Temporal unavailable')) },
    } as unknown as Client;
    const app = await createApiApp(
      { config: stack.config, db: stack.appDb, systemDb: stack.systemDb, temporal: refusing },
      { logger: false },
    );
    await app.init();
    const phones = phoneList(1, '0530');
    const { id } = await createCampaign(stack, apiKey, contactsCsv(phones), campaignConfig());
    try {
      const refused = await request(app.getHttpServer())
        .post(`/v1/campaigns/${id}/start`)
        .set('authorization', `Bearer ${apiKey}`)
        .expect(503);
      expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refused.body.code).toBe('WORKFLOW_START_FAILED');
    } finally {
      await app.close();
    }
    expect((await getCampaign(stack, apiKey, id)).status).toBe('draft');
    expect(await pendingSince(id)).toBeNull();
    await expectNoWorkflow(id);
    // Nothing is left half-done: the next start is an ordinary one.
    expect((await campaignAction(stack, apiKey, id, 'start')).status).toBe('running');
    await waitForCampaign(stack, apiKey, id, 'completed', 60_000);
  });
});
