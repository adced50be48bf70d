import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError } from '../../infra/stack/data-dir';
import { PortTakenError } from '../../infra/stack/ports';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import { startReadyProcess } from '../support/ready-process';

const run = promisify(execFile);
const OWNER = join(__dirname, '..', 'support', 'system-owner.ts');

/** Running, not a zombie waiting for a parent to reap it. */
async function running(pid: number): Promise<boolean> {
  const { stdout } = await run('ps', ['-o', 'stat=', '-p', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.trim() !== '' && !stdout.trim().startsWith('Z');
}

async function parentOf(pid: number): Promise<number> {
  const { stdout } = await run('ps', ['-o', 'ppid=', '-p', String(pid)]);
  return Number(stdout.trim());
}

async function killed(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await expect.poll(() => running(pid), { timeout: 10_000 }).toBe(false);
}

describe('starting a system', () => {
  const dirs: string[] = [];
  const systems: System[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outdial-system-test-'));
    dirs.push(dir);
    return dir;
  };
  installQuietRuntime();

  afterAll(async () => {
    for (const system of systems) await system.close();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('stops the dev server and Postgres a killed run left on its data directory, then starts its own', async () => {
    const dataDir = await tempDir();
    const owner = await startReadyProcess(OWNER, [dataDir]);
    const claim = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')) as {
      servers: Record<string, { pid: number }>;
    };
    const temporalPid = claim.servers['Temporal dev server']!.pid;
    const postgresPid = claim.servers.Postgres!.pid;
    // Postgres's own wrapper process first: alive, it would stop Postgres once its parent died.
    await killed(await parentOf(postgresPid));
    await killed(owner.pid!);
    expect(await running(temporalPid)).toBe(true);
    expect(await running(postgresPid)).toBe(true);

    const lines: string[] = [];
    const system = await startSystem({
      engine: 'dev',
      postgres: 'embedded',
      dataDir,
      log: (line) => lines.push(line),
    });
    systems.push(system);

    expect(lines).toContain(
      `stopping the Temporal dev server (pid ${temporalPid}) that a killed run left running on ${dataDir}`,
    );
    expect(lines).toContain(
      `stopping the Postgres (pid ${postgresPid}) that a killed run left running on ${dataDir}`,
    );
    expect(await running(temporalPid)).toBe(false);
    expect(await running(postgresPid)).toBe(false);
    expect(system.temporal.pid).not.toBe(temporalPid);
    expect(system.postgres.pid).not.toBe(postgresPid);
    // Both answer, on the same data: the migrations the first run applied are there.
    await system.client.workflowService.getSystemInfo({});
    const { tenantId } = await system.createTenant('after the leftovers');
    expect(tenantId).toBeTruthy();

    await system.close();
    await expect(stat(join(dataDir, 'stack.json'))).rejects.toThrow();
    expect(await running(system.temporal.pid!)).toBe(false);
    // Two starts of a persistent stack, one from a cold process: minutes when the machine is busy.
  }, 240_000);

  it('runs two stacks side by side on free ports, and refuses a data directory a running stack holds', async () => {
    const [first, second] = await Promise.all(
      [await tempDir(), await tempDir()].map((dataDir) =>
        startSystem({
          engine: { kind: 'dev', port: 0, uiPort: 0 },
          postgres: 'embedded',
          dataDir,
          api: {},
          simulator: {},
        }),
      ),
    );
    systems.push(first!, second!);
    for (const system of [first!, second!]) {
      const ready = await fetch(`${system.apiUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect((await fetch(`${system.temporal.uiUrl}/`)).status).toBe(200);
      // The UI's page decrypts payloads through this system's API, which answers that page alone.
      const settings = (await (await fetch(`${system.temporal.uiUrl}/api/v1/settings`)).json()) as {
        Codec: { Endpoint: string };
      };
      expect(settings.Codec.Endpoint).toBe(`${system.apiUrl}/v1/admin/codec`);
      const decode = (origin: string) =>
        fetch(`${system.apiUrl}/v1/admin/codec/decode`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify({ payloads: [] }),
        });
      const fromUi = await decode(system.temporal.uiUrl!);
      expect(fromUi.status).toBe(200);
      expect(fromUi.headers.get('access-control-allow-origin')).toBe(system.temporal.uiUrl);
      expect((await decode(first === system ? second!.temporal.uiUrl! : first!.temporal.uiUrl!)).status).toBe(401);
    }
    expect(new Set([first!.temporal.address, second!.temporal.address]).size).toBe(2);

    await expect(
      startSystem({ engine: 'dev', postgres: 'embedded', dataDir: join(first!.postgres.dataDir!, '..') }),
    ).rejects.toThrow(DataDirInUseError);
    expect((await fetch(`${first!.apiUrl}/readyz`)).status).toBe(200);
  });

  it('refuses a fixed port something already listens on', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(startSystem({ engine: { kind: 'dev', port }, postgres: 'embedded' })).rejects.toThrow(
        PortTakenError,
      );
    } finally {
      server.close();
    }
  });
});
