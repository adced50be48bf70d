import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import { callWorkflowId } from '../../workflows/workflow-ids';
import {
  campaignAction,
  campaignConfig,
  contactsCsv,
  createCampaign,
  phoneList,
  waitForCampaign,
} from '../support/campaigns';
import { OutdialProcesses } from '../support/outdial-processes';
import { scenarioRule, SEED_SCENARIOS, SHORT_TIMING } from '../support/scenario-campaign';
import { TEST_SECRETS } from '../support/stack';

const CONTACTS = 24;

/** Issue 21: workers and APIs as separate processes against one Temporal and one Postgres. */
describe('two worker processes and two API processes', () => {
  let system: System;
  let processes: OutdialProcesses;

  beforeAll(async () => {
    installQuietRuntime();
    // This process holds the simulator and the test's own handles; it runs no worker and no API.
    system = await startSystem({
      engine: { kind: 'external', address: inject('temporalAddress') },
      postgres: { url: inject('databaseUrl'), appUrl: inject('appDatabaseUrl') },
      env: { ...TEST_SECRETS, NODE_ENV: 'test' },
      simulator: { scenario: scenarioRule(SEED_SCENARIOS) },
    });
    processes = new OutdialProcesses({
      temporalAddress: inject('temporalAddress'),
      databaseUrl: inject('appDatabaseUrl'),
      simulatorUrl: system.sim.url,
      taskQueue: `many-${randomUUID()}`,
      workflowBundlePath: inject('workflowBundlePath'),
    });
    await Promise.all([
      processes.startApi(),
      processes.startApi(),
      processes.startWorker(),
      processes.startWorker(),
    ]);
    // A load balancer in front of both APIs: each webhook, and each retry, goes to the next.
    system.sim.retarget(processes.apiUrls);
  });
  afterAll(async () => {
    await processes?.stop();
    await system?.close();
  });

  it("spreads a campaign's calls over both workers and one call's webhooks over both APIs", async () => {
    const { apiKey } = await system.createTenant();
    const api = { apiUrl: processes.apiUrls[0]! };
    // The last digit picks each number's scenario.
    const phones = phoneList(CONTACTS, '0533');
    const config = campaignConfig({
      name: 'many processes',
      maxConcurrentCalls: 8,
      callsPerSecond: 20,
      amd: { enabled: true, graceSeconds: 3 },
      retry: { maxAttempts: 1, busyDelayMinutes: 0, noAnswerDelayMinutes: 0, retryVoicemail: false },
      timing: SHORT_TIMING,
    });
    const { id, body } = await createCampaign(api, apiKey, contactsCsv(phones), config);
    expect(body.report.valid).toBe(CONTACTS);
    // Started through the other API: neither holds anything the other needs.
    await campaignAction({ apiUrl: processes.apiUrls[1]! }, apiKey, id, 'start');
    const done = await waitForCampaign(api, apiKey, id, 'completed', 120_000);
    expect(Object.values(done.counts.byStatus).reduce((a, b) => a + b, 0)).toBe(CONTACTS);

    const calls = await system.db
      .selectFrom('call_attempts')
      .select(['id', 'to_number', 'outcome'])
      .where('campaign_id', '=', id)
      .execute();
    expect(calls).toHaveLength(CONTACTS);
    expect(calls.every((call) => call.outcome !== null)).toBe(true);

    // Which worker ran each activity, from Temporal's own history.
    const identities = new Map<string, number>();
    for (const call of calls) {
      const history = await system.client.workflow.getHandle(callWorkflowId(call.id)).fetchHistory();
      for (const event of history.events ?? []) {
        const identity = event.activityTaskStartedEventAttributes?.identity;
        if (identity) identities.set(identity, (identities.get(identity) ?? 0) + 1);
      }
    }
    const workers = processes.workers.map((child) => `${child.pid}@${hostname()}`);
    console.log(`[many-processes] activities by worker: ${JSON.stringify(Object.fromEntries(identities))}`);
    expect([...identities.keys()].sort()).toEqual([...workers].sort());

    // Which API answered each webhook and tool call, from the simulator's records.
    const acknowledged = system.sim.webhooks.filter((w) => w.status !== undefined && w.status < 300);
    expect(acknowledged.length).toBe(system.sim.webhooks.length);
    const apisByCall = new Map<string, Set<string>>();
    for (const webhook of acknowledged) {
      const apis = apisByCall.get(webhook.callId ?? '') ?? new Set<string>();
      apis.add(new URL(webhook.url).origin);
      apisByCall.set(webhook.callId ?? '', apis);
    }
    const servedByBoth = [...apisByCall.values()].filter((apis) => apis.size === 2).length;
    console.log(
      `[many-processes] calls whose webhooks reached both APIs: ${servedByBoth} of ${apisByCall.size}`,
    );
    expect(servedByBoth).toBeGreaterThan(0);
    expect(new Set(acknowledged.map((w) => new URL(w.url).origin))).toEqual(new Set(processes.apiUrls));
  });
});
