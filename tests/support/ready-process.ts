import { spawn, type ChildProcess } from 'node:child_process';

/** Processes a test stopped on purpose: any other exit is reported with the tail of its stderr. */
const stopping = new WeakSet<ChildProcess>();

/** Runs a TypeScript entry in its own Node process and resolves once it prints "ready". */
export async function startReadyProcess(
  entry: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${stderr}`)));
  });
  child.once('exit', (code, signal) => {
    if (!stopping.has(child))
      console.error(`${entry} (pid ${child.pid}) exited (${signal ?? code}):\n${stderr}`);
  });
  return child;
}

/** Sends `signal` and resolves once the process has exited (at once if it already has). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  stopping.add(child);
  child.kill(signal);
  await exited;
}
