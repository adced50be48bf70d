import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import { launchBrowser, screenshot } from '../support/browser';
import { createDraftCampaign, startCall } from '../support/calls';

/** Issue 20, item 17: the history is ciphertext, and the dev server's UI still shows it in clear. */
describe('the Temporal UI through the codec endpoint', () => {
  let system: System;
  let browser: Browser;

  beforeAll(async () => {
    installQuietRuntime();
    // Its own dev server: the shared one runs without a UI.
    [system, browser] = await Promise.all([
      startSystem({
        engine: { kind: 'dev', port: 0, uiPort: 0 },
        postgres: { url: inject('databaseUrl') },
        env: { NODE_ENV: 'test' },
        api: {},
        simulator: { scenario: 'human_yes' },
        workers: {
          taskQueue: `test-${randomUUID()}`,
          workflowBundle: { codePath: inject('workflowBundlePath') },
        },
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await system?.close();
  });

  it("shows a call's input and result decrypted by the API, in the UI's own page", async () => {
    const { tenantId, apiKey } = await system.createTenant('Temporal UI');
    const { campaignId, contacts } = await createDraftCampaign(system, apiKey, ['0532 987 65 43']);
    const handle = await startCall(system, {
      tenantId,
      campaignId,
      contact: contacts[0]!,
      scenario: 'human_yes',
    });
    await handle.result();
    const { runId } = await handle.describe();

    const page = await browser.newPage();
    // What the browser sent: an Origin, and no token, which the UI's page does not have.
    const codec: Promise<string>[] = [];
    page.on('response', (response) => {
      const request = response.request();
      if (request.url().startsWith(`${system.apiUrl}/v1/admin/codec/decode`) && request.method() === 'POST')
        codec.push(
          request
            .allHeaders()
            .then((headers) => `${response.status()} ${headers.origin} ${headers.authorization}`),
        );
    });
    await page.goto(
      `${system.temporal.uiUrl}/namespaces/default/workflows/${handle.workflowId}/${runId}/history`,
    );
    await expect
      .poll(() => page.getByText('"+905329876543"').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByText('"outcome": "success"').count()).toBeGreaterThan(0);
    await screenshot(page, 'temporal-ui-decoded');
    expect(codec.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(codec))).toEqual(new Set([`200 ${system.temporal.uiUrl} undefined`]));
  });
});
