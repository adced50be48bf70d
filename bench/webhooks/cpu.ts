import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Linux clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on every common kernel). */
const TICKS_PER_SECOND = 100;

async function processCpuMs(
  pid: number,
  withReapedChildren = false,
): Promise<{ ppid: number; ms: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state ppid ... utime stime cutime cstime (14-17).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    const ticks = withReapedChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
    return { ppid: Number(fields[1]), ms: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * CPU time of our Postgres: the postmaster named in its data directory, the backends that have
 * exited (which it reaped) and the live ones.
 */
async function postgresCpuMs(dataDir: string): Promise<number> {
  const postmaster = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  let total = (await processCpuMs(postmaster, true))?.ms ?? 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = await processCpuMs(Number(entry));
    if (child?.ppid === postmaster) total += child.ms;
  }
  return total;
}

/**
 * CPU used between two snapshots by this process (the API and the bare app; runs do not overlap),
 * by Postgres and by the Temporal dev server: a measure of cost per request that other load on a shared machine disturbs far
 * less than latency does.
 */
export async function cpuSnapshot(pgDataDir: string, temporalPid: number | undefined) {
  const usage = process.cpuUsage();
  return {
    apiMs: (usage.user + usage.system) / 1000,
    postgresMs: await postgresCpuMs(pgDataDir),
    temporalMs: temporalPid === undefined ? 0 : ((await processCpuMs(temporalPid))?.ms ?? 0),
  };
}

export type CpuSnapshot = Awaited<ReturnType<typeof cpuSnapshot>>;

export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, requests: number) {
  const per = (ms: number) => Math.round((ms / Math.max(1, requests)) * 1000) / 1000;
  return {
    apiMs: per(after.apiMs - before.apiMs),
    postgresMs: per(after.postgresMs - before.postgresMs),
    temporalMs: per(after.temporalMs - before.temporalMs),
  };
}
