import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeArgs } from '../../temporal-config/search-attributes';
import { devServerDynamicConfigArgs, type DynamicConfigValues } from '../../temporal-config/dynamic-config';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './ports';

export interface RunningTemporal {
  address: string;
  uiUrl: string | undefined;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` with Outdial's search attributes and waits until it answers.
 * A port of 0 is picked free; without `dbFile` the history lives in memory.
 */
export async function startTemporalDevServer(options: {
  dbFile?: string;
  port: number;
  uiPort: number | false;
  /** Where the UI's page sends payloads to be decrypted (the API's /v1/admin/codec). */
  uiCodecEndpoint?: string;
  log?: (line: string) => void;
  /** Dynamic config on top of Outdial's defaults, e.g. a test's lower history limits. */
  dynamicConfig?: DynamicConfigValues;
}): Promise<RunningTemporal> {
  const cli = await ensureTemporalCli(process.env, options.log);
  const port = options.port || (await freePort());
  const uiPort = options.uiPort === false ? false : options.uiPort || (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error'];
  if (options.dbFile) {
    await mkdir(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (uiPort !== false && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  args.push(...devServerSearchAttributeArgs(), ...devServerDynamicConfigArgs(options.dynamicConfig));

  const child = spawn(cli.path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const address = `127.0.0.1:${port}`;
  await waitForFrontend('temporal server start-dev', address, child, () => output);
  return {
    address,
    uiUrl: uiPort === false ? undefined : `http://127.0.0.1:${uiPort}`,
    pid: child.pid!,
    stop: () => stopChild(child),
  };
}

/** Polls the frontend's health check until it answers; a child that exits or stays silent fails it. */
export async function waitForFrontend(
  name: string,
  address: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.healthService.check({});
      await connection.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer on ${address} within 60 s:\n${output()}`);
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
