import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../infra/stack/ports';
import { createSystemDatabase } from '../../schema/database';
import { campaignConfig, contactsCsv } from '../support/campaigns';
import { ROOT, entrypointRoles } from '../support/deploy-files';
import {
  DIST,
  spawnCompiled,
  startCompiled,
  stopCompiled,
  type CompiledProcess,
} from '../support/compiled-process';
import { TEST_SECRETS, eventually } from '../support/stack';

/** The provider answers a dial this long after it starts ringing: the dial activity's time in flight. */
const DIAL_RESPONSE_MS = 4_000;
const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

const ms = (time: { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined) =>
  Number(time?.seconds?.toString() ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6);

/** Answers to GET `path` over a connection of its own (no keep-alive pool to reuse). */
function freshGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** True once a TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('the production build', () => {
  const taskQueue = `build-${randomUUID()}`;
  let env: Record<string, string>;
  let apiUrl: string;
  let apiPort: number;
  let sim: CompiledProcess | undefined;
  let api: CompiledProcess | undefined;
  const workers: CompiledProcess[] = [];
  let connection: Connection | undefined;
  let client: Client;
  let apiKey: string;

  const startWorker = async () => {
    const worker = await startCompiled('worker/main.js', env, /Outdial worker polling/);
    workers.push(worker);
    return worker;
  };
  const api$ = () => request(apiUrl);
  const auth = () => ({ authorization: `Bearer ${apiKey}` });

  /** Uploads one contact, starts the campaign and returns its id. */
  async function startOneCallCampaign(phone: string): Promise<string> {
    const created = await api$()
      .post('/v1/campaigns')
      .set(auth())
      .field('config', JSON.stringify(campaignConfig({ name: `Build ${phone}`, maxConcurrentCalls: 1 })))
      .attach('file', Buffer.from(contactsCsv([phone])), 'contacts.csv')
      .expect(201);
    const id = created.body.id as string;
    await api$().post(`/v1/campaigns/${id}/start`).set(auth()).expect(200);
    return id;
  }

  const callsOf = async (campaignId: string) =>
    (await api$().get(`/v1/campaigns/${campaignId}/calls`).set(auth()).expect(200)).body.items as Record<
      string,
      unknown
    >[];

  const completed = (campaignId: string) =>
    eventually(
      async () => {
        const res = await api$().get(`/v1/campaigns/${campaignId}`).set(auth()).expect(200);
        return res.body.status === 'completed' ? res.body : undefined;
      },
      90_000,
      `campaign ${campaignId} completed`,
    );

  beforeAll(async () => {
    const started = Date.now();
    await promisify(execFile)('npm', ['run', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    console.log(`[production-build] npm run build: ${((Date.now() - started) / 1000).toFixed(0)} s`);

    apiPort = await freePort();
    const simPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    env = {
      ...TEST_SECRETS,
      NODE_ENV: 'test',
      DATABASE_URL: inject('appDatabaseUrl'),
      MIGRATION_DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      ELEVENLABS_BASE_URL: `http://127.0.0.1:${simPort}`,
      // Port 0: other test processes on this machine may hold the defaults.
      WORKER_METRICS_PORT: '0',
      TEMPORAL_METRICS_PORT: '0',
      WORKER_SHUTDOWN_GRACE_SECONDS: '30',
      API_DRAIN_DELAY_SECONDS: '3',
      API_SHUTDOWN_GRACE_SECONDS: '30',
      SIMULATOR_PORT: String(simPort),
      SIMULATOR_WEBHOOK_BASE_URL: apiUrl,
      SIMULATOR_SCENARIO: 'human_yes',
      SIMULATOR_RING_MS: '100',
      SIMULATOR_TALK_MS: '300',
      SIMULATOR_WEBHOOK_DELAY_MS: '50',
      SIMULATOR_DIAL_RESPONSE_DELAY_MS: String(DIAL_RESPONSE_MS),
    };
    [sim, api] = await Promise.all([
      startCompiled('infra/dev/simulator/main.js', env, /simulator listening/),
      startCompiled('api/main.js', env, /Outdial API listening/),
    ]);
    await startWorker();
    connection = await Connection.connect({ address: inject('temporalAddress') });
    client = new Client({ connection });
    const tenant = await api$()
      .post('/v1/admin/tenants')
      .set('authorization', `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`)
      .send({ name: 'Production build' })
      .expect(201);
    apiKey = tenant.body.apiKey as string;
  }, 420_000);

  afterAll(async () => {
    await Promise.all([sim, api, ...workers].map((started) => stopCompiled(started)));
    await connection?.close();
  });

  it('has every role of the image compiled, the workflow bundle and the console in dist/', () => {
    const roles = entrypointRoles();
    expect([...roles.keys()].sort()).toEqual(['api', 'migrate', 'simulator', 'worker']);
    for (const entry of roles.values()) expect(existsSync(join(ROOT, entry)), entry).toBe(true);
    expect(existsSync(join(DIST, 'worker', 'workflow-bundle.js'))).toBe(true);
    expect(existsSync(join(DIST, 'web', 'dist', 'index.html'))).toBe(true);
  });

  it('migrates with the compiled entry: the schema is already up to date, exit 0', async () => {
    const migrate = spawnCompiled('schema/migrate.js', env);
    const exit = await migrate.exited;
    expect(migrate.output()).toContain('Schema is up to date.');
    expect(exit.code).toBe(0);
  });

  it('serves the console from the compiled API', async () => {
    const page = await api$().get('/campaigns').set('accept', 'text/html').expect(200);
    expect(page.text).toContain('<div id="root">');
  });

  it('runs a call end to end through the compiled worker, API and simulator', async () => {
    const campaignId = await startOneCallCampaign('05321000001');
    await completed(campaignId);
    const [call, ...others] = await callsOf(campaignId);
    expect(others).toHaveLength(0);
    expect(call).toMatchObject({ status: 'completed', outcome: 'success', label: 'YES' });
    expect(call!.providerCallId).toEqual(expect.any(String));
  });

  it('SIGTERM on a worker: the dial in flight completes, the worker exits 0, another finishes the call', async () => {
    const [worker] = workers;
    const campaignId = await startOneCallCampaign('05321000002');
    const callId = await eventually(
      async () => (await callsOf(campaignId))[0]?.callId as string | undefined,
      30_000,
      'the call',
    );
    const workflowId = `call-${callId}`;
    await eventually(
      async () => {
        const { pendingActivities } = await client.workflowService.describeWorkflowExecution({
          namespace: 'default',
          execution: { workflowId },
        });
        return (
          pendingActivities?.some((a) => a.activityType?.name === 'placeCall' && a.state === STARTED) ||
          undefined
        );
      },
      30_000,
      'the dial in flight',
    );
    const signalledAt = Date.now();
    worker!.child.kill('SIGTERM');
    const exit = await worker!.exited;
    expect(exit.code, worker!.output()).toBe(0);
    expect(worker!.output()).toMatch(/worker: SIGTERM[\s\S]*worker: stopped/);

    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const dials = events.filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'placeCall',
    );
    expect(dials).toHaveLength(1);
    const dialEnded = events.find(
      (e) =>
        e.activityTaskCompletedEventAttributes?.scheduledEventId?.toString() ===
        dials[0]!.eventId?.toString(),
    );
    // Completed, not cancelled or timed out: after the signal, and before the process exited.
    expect(dialEnded).toBeDefined();
    expect(ms(dialEnded!.eventTime)).toBeGreaterThan(signalledAt);
    expect(exit.at).toBeGreaterThanOrEqual(ms(dialEnded!.eventTime));
    console.log(
      `[production-build] worker: dial completed ${ms(dialEnded!.eventTime) - signalledAt} ms after SIGTERM, exit 0 ${exit.at - signalledAt} ms after it`,
    );

    await startWorker();
    await completed(campaignId);
    const [call, ...others] = await callsOf(campaignId);
    expect(others).toHaveLength(0);
    expect(call).toMatchObject({ status: 'completed', outcome: 'success' });
  });

  it('SIGTERM on the API: /readyz turns 503, new connections are refused, the request in flight is answered, exit 0', async () => {
    const body = JSON.stringify({ name: 'Drained tenant' });
    const half = Math.floor(body.length / 2);
    const slow = httpRequest(`${apiUrl}/v1/admin/tenants`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${TEST_SECRETS.ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      slow.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      slow.on('error', reject);
    });
    // Awaited below; a process killed before then must not leave an unhandled rejection.
    void answered.catch(() => undefined);
    // Half the body now, the rest only after the listener has closed: the request stays in flight.
    slow.write(body.slice(0, half));
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    api!.child.kill('SIGTERM');
    // The signal reaches the process a moment later; for the drain delay after it, still listening.
    const ready = await eventually(
      async () => {
        const answer = await freshGet(`${apiUrl}/readyz`);
        return answer.status === 503 ? answer : undefined;
      },
      2_500,
      '/readyz not ready',
    );
    expect(JSON.parse(ready.body)).toMatchObject({ code: 'SHUTTING_DOWN' });
    await eventually(async () => (await refused(apiPort)) || undefined, 15_000, 'new connections refused');
    expect(api!.child.exitCode).toBeNull();

    slow.end(body.slice(half));
    const answer = await answered;
    expect(answer.status).toBe(201);
    const { tenantId } = JSON.parse(answer.body) as { tenantId: string };
    const exit = await api!.exited;
    expect(exit.code, api!.output()).toBe(0);
    expect(api!.output()).toMatch(/api: SIGTERM[\s\S]*api: stopped/);

    const db = createSystemDatabase(inject('databaseUrl'), 1);
    try {
      const stored = await db
        .selectFrom('tenants')
        .select('name')
        .where('id', '=', tenantId)
        .executeTakeFirst();
      expect(stored).toEqual({ name: 'Drained tenant' });
    } finally {
      await db.destroy();
    }
  });
});
