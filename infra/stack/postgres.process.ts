import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningPostgres } from './postgres';
import { stopChild } from './temporal-dev-server';

/** An embedded Postgres that can be stopped and started again on its port and data directory. */
export interface RestartablePostgres extends RunningPostgres {
  /** Stops it (fast shutdown: open connections are cut), waits `downMs`, starts it again. */
  restart(downMs?: number): Promise<void>;
}

/** An embedded Postgres in a child process (see postgres.child.ts for why). */
export async function startPostgresProcess(options: {
  dataDir: string;
  persistent: boolean;
}): Promise<RestartablePostgres> {
  let running = await launch(options.dataDir, options.persistent);
  const { url } = running;
  const port = new URL(url).port;
  return {
    url,
    get pid() {
      return running.pid;
    },
    stop: () => running.stop(),
    async restart(downMs = 0) {
      await running.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      // A persistent cluster keeps its data; its clients reconnect to the same URL.
      running = await launch(options.dataDir, options.persistent, port);
    },
  };
}

async function launch(dataDir: string, persistent: boolean, port?: string): Promise<RunningPostgres> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'postgres.child.ts'),
      dataDir,
      String(persistent),
      ...(port ? [port] : []),
    ],
    // Its own process group: a terminal's Ctrl-C reaches only the parent, which stops Postgres last,
    // after the pools using it. Should the parent die instead, the closed stdin stops it all the same.
    { stdio: ['pipe', 'pipe', 'inherit'], detached: true },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`embedded Postgres exited with ${code} before it was ready`)),
    );
  });
  const { url, pid } = JSON.parse(firstLine) as { url: string; pid: number };
  return { url, pid, stop: () => stopChild(child, 20_000) };
}
