import { Client as PgClient } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import { temporalDatabases } from '../../infra/stack/temporal-server-config';
import { callWorkflowId, campaignWorkflowId } from '../../workflows/workflow-ids';
import {
  type CallItem,
  runScenarioCampaign,
  scenarioRule,
  SEED_SCENARIOS,
} from '../support/scenario-campaign';
import { eventually } from '../support/stack';

const SHARDS = 8;

const OUTCOMES: Partial<Record<ScenarioName, Partial<CallItem>>> = {
  human_yes: { status: 'completed', outcome: 'success' },
  busy: { status: 'busy', outcome: 'busy' },
  no_answer: { status: 'no_answer', outcome: 'no_answer' },
  invalid_number: { status: 'failed', outcome: 'failed' },
  rejected: { status: 'busy', outcome: 'busy' },
  voicemail_amd: { status: 'completed', outcome: 'voicemail' },
};

async function queryTemporal<T>(system: System, sql: string, values: unknown[]): Promise<T[]> {
  const databases = temporalDatabases(system.postgres.url);
  const client = new PgClient({ ...databases, database: databases.persistence });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Issue 21: Outdial on the real Temporal server (Postgres persistence and visibility, many shards). */
describe('a campaign on the Temporal server engine', () => {
  let system: System;
  let apiKey: string;

  beforeAll(async () => {
    installQuietRuntime();
    // Its own embedded Postgres and server beside the shared dev server.
    system = await startSystem({
      engine: { kind: 'server', historyShards: SHARDS },
      postgres: 'embedded',
      env: { NODE_ENV: 'test' },
      api: {},
      simulator: { scenario: scenarioRule(SEED_SCENARIOS) },
      workers: { workflowBundle: { codePath: inject('workflowBundlePath') } },
    });
    ({ apiKey } = await system.createTenant());
  });
  afterAll(async () => system?.close());

  it('runs every scenario to its final record, with the history in Postgres over several shards', async () => {
    const { campaignId, byScenario } = await runScenarioCampaign(system, apiKey, {
      provider: 'elevenlabs',
      scenarios: SEED_SCENARIOS,
    });
    expect(byScenario.size).toBe(SEED_SCENARIOS.length);
    for (const [scenario, call] of byScenario)
      expect({ scenario, ...call }).toMatchObject({ scenario, ...OUTCOMES[scenario] });
    expect(system.sim.dials()).toHaveLength(SEED_SCENARIOS.length);

    const shards = await queryTemporal<{ shard_id: number }>(system, 'SELECT shard_id FROM shards', []);
    expect(shards).toHaveLength(SHARDS);
    const workflowIds = [
      campaignWorkflowId(campaignId),
      ...[...byScenario.values()].map((c) => callWorkflowId(c.callId)),
    ];
    const stored = await queryTemporal<{ workflow_id: string; shard_id: number }>(
      system,
      'SELECT workflow_id, shard_id FROM current_executions WHERE workflow_id = ANY($1)',
      [workflowIds],
    );
    expect(stored.map((row) => row.workflow_id).sort()).toEqual([...workflowIds].sort());
    // Seven random workflow ids all on one of eight shards: once in 260,000 runs.
    expect(new Set(stored.map((row) => row.shard_id)).size).toBeGreaterThan(1);

    // The search attributes registered on start, served by the SQL visibility store.
    const query = `CampaignId = '${campaignId}' AND WorkflowType = 'callWorkflow'`;
    const listed = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const workflow of system.client.workflow.list({ query })) ids.push(workflow.workflowId);
        return ids.length === byScenario.size ? ids : undefined;
      },
      10_000,
      'the call workflows listed by CampaignId',
    );
    expect(listed.sort()).toEqual(workflowIds.slice(1).sort());
  });

  it('stops the server with the stack', async () => {
    const { pid } = system.temporal;
    await system.close();
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/);
  });
});
