import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import { campaignAction, contactsCsv, createCampaign, type ApiTarget } from '../support/campaigns';
import { OutdialProcesses } from '../support/outdial-processes';
import { eventually, TEST_SECRETS } from '../support/stack';
import { EXPECTED_OUTCOME, faultCampaignConfig, faultContacts, scenarioOf } from './fault-campaign';
import { faultTable, keepFaultTable, type FaultRow } from './fault-table';
import { checkInvariants, type CampaignUnderTest } from './invariants';

const CONTACTS = Number(process.env.FAULT_SUITE_CONTACTS ?? 2000);
const MAX_CONCURRENT_CALLS = 100;
/** How long a part stays down before it is started again. */
const DOWN_MS = 3000;

/**
 * Issue 21's fault suite: a campaign of 2,000 contacts on the real Temporal server, two worker and
 * two API processes, and while it runs a worker SIGKILLed, the Temporal server and Postgres stopped
 * and restarted, an API SIGKILLed while webhooks arrive. After each fault and at the end the
 * invariants of invariants.ts must hold.
 */
describe('the fault suite on the real Temporal server', () => {
  let system: System;
  let processes: OutdialProcesses;

  beforeAll(async () => {
    installQuietRuntime();
    // Its own Postgres and Temporal server, which it may stop: never the stack tier's shared ones.
    system = await startSystem({
      engine: { kind: 'server' },
      postgres: 'embedded',
      env: { ...TEST_SECRETS, NODE_ENV: 'test' },
      simulator: {
        scenario: scenarioOf,
        // Providers repeat webhooks and send them out of order.
        adversarial: { duplicateWebhooks: true, shuffle: true },
      },
      dbPoolSize: 4,
    });
    processes = new OutdialProcesses({
      temporalAddress: system.temporal.address,
      databaseUrl: system.postgres.appUrl,
      simulatorUrl: system.sim.url,
      taskQueue: `faults-${randomUUID()}`,
      workflowBundlePath: inject('workflowBundlePath'),
    });
    await Promise.all([processes.startApi(), processes.startApi()]);
    await Promise.all([processes.startWorker(), processes.startWorker()]);
    system.sim.retarget(processes.apiUrls);
  }, 300_000);
  afterAll(async () => {
    await processes?.stop();
    await system?.close();
  });

  it('loses nothing through a worker kill, Temporal and Postgres restarts and an API kill', async () => {
    const suiteStarted = Date.now();
    // Reads go to the API the suite never kills.
    const reader: ApiTarget = {
      get apiUrl() {
        return processes.apiUrls[1]!;
      },
    };
    const { apiKey } = await system.createTenant('Faults');
    const { phones, dnc, dncE164 } = faultContacts(CONTACTS);
    const { id: campaignId, body } = await createCampaign(
      reader,
      apiKey,
      contactsCsv(phones),
      faultCampaignConfig(MAX_CONCURRENT_CALLS),
    );
    expect(body.report.valid).toBe(CONTACTS);
    await request(reader.apiUrl)
      .post('/v1/dnc')
      .set('authorization', `Bearer ${apiKey}`)
      .send({ phones: dnc, defaultCountry: 'TR', reason: 'fault suite' })
      .expect(200);
    await campaignAction(reader, apiKey, campaignId, 'start');
    const run: CampaignUnderTest = {
      system,
      api: reader,
      apiKey,
      campaignId,
      contacts: CONTACTS,
      dnc: dncE164,
    };

    const unfinished = async () =>
      (
        await system.db
          .selectFrom('call_attempts')
          .select('id')
          .where('campaign_id', '=', campaignId)
          .where('outcome', 'is', null)
          .execute()
      ).map((row) => row.id);
    const finished = async () =>
      Number(
        (
          await system.db
            .selectFrom('call_attempts')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('campaign_id', '=', campaignId)
            .where('outcome', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const apiHits = (url: string, since: number) =>
      system.sim.webhooks.filter((w) => w.at >= since && w.url.startsWith(url)).length;

    const faults: { name: string; at: number; inject: () => Promise<string | void> }[] = [
      {
        name: 'worker process SIGKILLed, another started',
        at: 0.1,
        inject: async () => {
          await processes.killWorker(processes.workers[0]!);
          await processes.startWorker();
        },
      },
      {
        name: `Temporal server stopped, restarted ${DOWN_MS / 1000} s later`,
        at: 0.28,
        inject: () => system.restartTemporal({ downMs: DOWN_MS }),
      },
      {
        name: `Postgres (app and Temporal) stopped, restarted ${DOWN_MS / 1000} s later`,
        at: 0.46,
        inject: () => system.restartPostgres({ downMs: DOWN_MS }),
      },
      {
        name: 'API process SIGKILLed while webhooks arrive, restarted',
        at: 0.64,
        inject: async () => {
          const api = processes.apis[0]!;
          const before = apiHits(api.url, Date.now() - 2000);
          await processes.killApi(api);
          const killedAt = Date.now();
          await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
          await processes.startApi(api.port);
          return `${before} webhooks answered by it in the 2 s before the kill, ${apiHits(api.url, killedAt)} retried elsewhere or lost while it was down`;
        },
      },
    ];

    const rows: FaultRow[] = [];
    const notes: string[] = [];
    for (const fault of faults) {
      await eventually(
        async () => ((await finished()) >= fault.at * CONTACTS ? true : undefined),
        240_000,
        `${Math.round(fault.at * 100)}% of the calls before "${fault.name}"`,
      );
      const inFlight = new Set(await unfinished());
      const struck = Date.now();
      const note = await fault.inject();
      if (note) notes.push(`${fault.name}: ${note}`);
      // Recovered once every call the fault caught in flight has its final record.
      await eventually(
        async () => {
          const still = new Set(await unfinished());
          return [...inFlight].some((id) => still.has(id)) ? undefined : true;
        },
        180_000,
        `the calls in flight at "${fault.name}" to finish`,
      );
      const recoveryMs = Date.now() - struck;
      rows.push({
        fault: fault.name,
        inFlight: inFlight.size,
        recoveryMs,
        violations: await checkInvariants(run, false),
      });
      console.log(`[fault suite] ${fault.name}: ${inFlight.size} in flight, recovered in ${recoveryMs} ms`);
    }

    await eventually(
      async () => ((await finished()) >= CONTACTS ? true : undefined),
      300_000,
      'every call to finish',
    );
    // Deliveries are marked a moment after their signal; the last ones may still be on their way.
    let final: string[] = [];
    const settled = Date.now() + 30_000;
    do {
      final = await checkInvariants(run, true);
      if (final.length > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
    } while (final.length > 0 && Date.now() < settled);
    rows.push({ fault: 'end of the campaign', inFlight: 0, recoveryMs: 0, violations: final });

    // Each scenario's calls ended as that scenario does, whatever the faults did to them.
    const results = await system.db
      .selectFrom('call_attempts')
      .select(['id', 'to_number', 'outcome', 'hangup_cause'])
      .where('campaign_id', '=', campaignId)
      .execute();
    // A webhook or server-tool call every attempt of which met a dead API never reached Outdial:
    // such a call ends by what did (a turn unheard is no transfer), so it is not held to its scenario.
    const lost = new Set(
      system.sim.webhooks.filter((w) => w.status === undefined || w.status >= 500).map((w) => w.callId),
    );
    // A dial that died with its worker or its Temporal before the request left is reconciled with
    // the provider, which knows no such call, and closed as failed: never re-dialled blindly.
    const dialled = new Set(system.sim.dials().map((d) => d.callId));
    const unplaced = results.filter(
      (r) => r.outcome === 'failed' && !dialled.has(r.id) && !dncE164.has(r.to_number),
    );
    const wrong = results.filter((r) => {
      if (lost.has(r.id) || unplaced.includes(r)) return false;
      const expected = dncE164.has(r.to_number) ? 'dnc_blocked' : EXPECTED_OUTCOME[scenarioOf(r.to_number)];
      return r.outcome === null || (expected !== undefined && r.outcome !== expected);
    });
    const mismatches = new Map<string, number>();
    for (const r of wrong) {
      const key = `${scenarioOf(r.to_number)}${dncE164.has(r.to_number) ? ' (DNC)' : ''} → ${r.outcome}`;
      mismatches.set(key, (mismatches.get(key) ?? 0) + 1);
    }
    const seconds = (Date.now() - suiteStarted) / 1000;
    const summary = [
      `${CONTACTS} contacts (${dnc.length} put on the DNC list before the start), ${system.sim.dials().length} dials, ` +
        `${system.sim.webhooks.length} webhooks and tool calls sent (duplicated, out of order), ` +
        `${lost.size} calls with a webhook or turn lost to a dead API, ` +
        `${unplaced.length} dials lost before they reached the provider (${unplaced.map((r) => r.hangup_cause).join(', ') || 'none'}), ` +
        `${wrong.length} other calls with an unexpected outcome ${JSON.stringify(Object.fromEntries(mismatches))}, ` +
        `${seconds.toFixed(0)} s in all; ` +
        `two worker and two API processes on the Temporal server (Postgres, 4 history shards).`,
      ...notes,
    ].join('\n\n');
    await keepFaultTable(
      faultTable(rows, summary),
      process.env.FAULT_TABLE_FILE ?? join(tmpdir(), 'outdial-fault-table.md'),
    );

    for (const row of rows)
      expect({ fault: row.fault, violations: row.violations }).toEqual({ fault: row.fault, violations: [] });
    for (const row of rows.slice(0, faults.length)) expect(row.inFlight, row.fault).toBeGreaterThan(0);
    expect(wrong.slice(0, 5)).toEqual([]);
  }, 900_000);
});
