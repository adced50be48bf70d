import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const DIST = join(__dirname, '..', '..', 'dist');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the process exited. */
  at: number;
}

export interface CompiledProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<Exit>;
}

/** `node dist/<entry>`: plain node, no tsx, and only the environment given (and PATH). */
export function spawnCompiled(entry: string, env: Record<string, string>): CompiledProcess {
  const child = spawn(process.execPath, [join(DIST, entry)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, output: () => output, exited };
}

/** Starts a compiled entry and resolves once its output matches `ready`. */
export async function startCompiled(
  entry: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
): Promise<CompiledProcess> {
  const started = spawnCompiled(entry, env);
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void started.exited.then((value) => (exit = value));
  while (!ready.test(started.output())) {
    if (exit)
      throw new Error(
        `${entry} exited (${exit.code ?? exit.signal}) before it was ready:\n${started.output()}`,
      );
    if (Date.now() > deadline) {
      started.child.kill('SIGKILL');
      throw new Error(`${entry} not ready within ${timeoutMs} ms:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return started;
}

/** Stops a compiled process (SIGKILL unless told otherwise) if it still runs. */
export async function stopCompiled(
  started: CompiledProcess | undefined,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (!started || started.child.exitCode !== null || started.child.signalCode !== null) return;
  started.child.kill(signal);
  await started.exited;
}
