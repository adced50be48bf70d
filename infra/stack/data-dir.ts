import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

interface RecordedProcess {
  pid: number;
  command: string;
}

interface RecordedServer extends RecordedProcess {
  stopSignal: NodeJS.Signals;
}

interface ClaimFile {
  owner: RecordedProcess;
  servers: Record<string, RecordedServer>;
}

export class DataDirInUseError extends Error {
  override readonly name = 'DataDirInUseError';
}

export interface DataDirClaim {
  /** Records a server the stack started, so that a run killed before stopping it leaves it findable. */
  record(name: string, pid: number, stopSignal: NodeJS.Signals): Promise<void>;
  release(): Promise<void>;
}

/** A live process's command line; undefined once it has exited. */
async function commandOf(pid: number): Promise<string | undefined> {
  try {
    const { stdout } = await run('ps', ['-ww', '-o', 'args=', '-p', String(pid)]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The same program still runs under that pid: a pid since given to another process claims nothing. */
async function stillRunning(recorded: RecordedProcess): Promise<boolean> {
  return (await commandOf(recorded.pid)) === recorded.command;
}

async function exitedWithin(recorded: RecordedProcess, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await stillRunning(recorded))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function stopLeftover(name: string, server: RecordedServer): Promise<void> {
  process.kill(server.pid, server.stopSignal);
  if (await exitedWithin(server, 20_000)) return;
  process.kill(server.pid, 'SIGKILL');
  if (!(await exitedWithin(server, 5_000)))
    throw new Error(`the leftover ${name} (pid ${server.pid}) did not stop`);
}

async function readClaim(file: string): Promise<ClaimFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as ClaimFile;
}

/**
 * Takes a persistent data directory for this process. `stack.json` in it names the process running
 * the stack and the servers it started. While that process lives, the directory is refused; once it
 * is gone (killed before it could stop them), servers it left running are stopped here, never
 * reused: a reused dev server would keep the dead run's settings, and two servers must not share one
 * Postgres data directory or SQLite file.
 */
export async function claimDataDir(dir: string, log: (line: string) => void): Promise<DataDirClaim> {
  const file = join(dir, 'stack.json');
  const previous = await readClaim(file);
  if (previous && (await stillRunning(previous.owner))) {
    throw new DataDirInUseError(
      `${dir} is in use by a running stack (pid ${previous.owner.pid}: ${previous.owner.command}); ` +
        'stop it first, or give this one another data directory',
    );
  }
  for (const [name, server] of Object.entries(previous?.servers ?? {})) {
    if (!(await stillRunning(server))) continue;
    log(`stopping the ${name} (pid ${server.pid}) that a killed run left running on ${dir}`);
    await stopLeftover(name, server);
  }

  await mkdir(dir, { recursive: true });
  const owner = await commandOf(process.pid);
  if (!owner) throw new Error("cannot read this process's command line with ps");
  const claim: ClaimFile = { owner: { pid: process.pid, command: owner }, servers: {} };
  // Written whole, then renamed: a run killed mid-write leaves the previous claim, not half of one.
  // One write at a time: servers starting together record themselves together.
  let saved = Promise.resolve();
  const save = () => {
    saved = saved.then(async () => {
      await writeFile(`${file}.tmp`, `${JSON.stringify(claim, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    });
    return saved;
  };
  await save();
  return {
    async record(name, pid, stopSignal) {
      const command = await commandOf(pid);
      if (!command) return;
      claim.servers[name] = { pid, command, stopSignal };
      await save();
    },
    release: () => rm(file, { force: true }),
  };
}
