import { spawn, type ChildProcess } from 'node:child_process';

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
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}): ${stderr}`)));
  });
  return child;
}
