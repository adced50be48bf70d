import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { RunningPostgres } from './postgres';
import { stopChild } from './temporal-dev-server';

/** An embedded Postgres in a child process (see postgres.child.ts for why). */
export async function startPostgresProcess(options: {
  dataDir: string;
  persistent: boolean;
}): Promise<RunningPostgres> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(__dirname, 'postgres.child.ts'),
      options.dataDir,
      String(options.persistent),
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
