import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const MB = 1024 * 1024;

/**
 * Samples the memory of an embedded Postgres (postmaster and its backends) while the import runs.
 * PSS rather than RSS: each backend maps the same shared buffers, which RSS would count once per process.
 */
export class PostgresMemory {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  private constructor(private readonly postmaster: number) {
    this.timer = setInterval(() => void this.sample(), 100);
  }

  /** Undefined for a server this process did not start (BENCH_DATABASE_URL): its processes are not ours to read. */
  static async watch(dataDir: string | undefined): Promise<PostgresMemory | undefined> {
    if (!dataDir) return undefined;
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? new PostgresMemory(pid) : undefined;
  }

  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    return Math.round((this.peak / MB) * 100) / 100;
  }

  private async sample(): Promise<void> {
    try {
      const children = await readFile(`/proc/${this.postmaster}/task/${this.postmaster}/children`, 'utf8');
      const pids = [this.postmaster, ...children.split(' ').filter(Boolean).map(Number)];
      const sizes = await Promise.all(pids.map(pssBytes));
      this.peak = Math.max(
        this.peak,
        sizes.reduce((sum, n) => sum + n, 0),
      );
    } catch {
      // A backend that ended between the listing and the read: the next sample counts the rest.
    }
  }
}

async function pssBytes(pid: number): Promise<number> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const kb = /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}
