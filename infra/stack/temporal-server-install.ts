import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultGoDirs, findGo, goInstall, isExecutable, outdialCacheDir, type CacheEnv } from './go-install';

/** Newer tags need a newer Go than this machine's (v1.32 asks for 1.26.10); this one needs 1.25. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
const MODULE = 'go.temporal.io/server';

export interface TemporalServerBinaries {
  server: string;
  /** `temporal-sql-tool`, which creates and migrates the server's databases. */
  sqlTool: string;
}

export class TemporalServerUnavailableError extends Error {
  override readonly name = 'TemporalServerUnavailableError';
}

export function serverCacheDir(env: CacheEnv = process.env): string {
  return outdialCacheDir(env, 'temporal-server', TEMPORAL_SERVER_VERSION);
}

function cachedBinaries(dir: string): TemporalServerBinaries {
  return { server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool') };
}

/** The server and its schema tool from the cache, built there with `go install` when missing. */
export async function ensureTemporalServer(
  env: CacheEnv = process.env,
  log: (line: string) => void = (line) => console.log(line),
  goDirs: string[] = defaultGoDirs(env),
): Promise<TemporalServerBinaries> {
  const dir = serverCacheDir(env);
  const binaries = cachedBinaries(dir);
  if ((await isExecutable(binaries.server)) && (await isExecutable(binaries.sqlTool))) return binaries;

  const go = await findGo(goDirs);
  if (!go) {
    throw new TemporalServerUnavailableError(
      `No Temporal server in ${dir} and no Go toolchain to build one. Install Go 1.25+ (https://go.dev/dl) ` +
        `so Outdial can run \`go install ${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}\`.`,
    );
  }
  log(
    `Building the Temporal server ${TEMPORAL_SERVER_VERSION} with Go into ${dir} (first run only, takes minutes)...`,
  );
  const seconds = await goInstall(
    go,
    [`${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`, `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`],
    dir,
  );
  // `go install` names binaries after their package directories: `server` and `sql` say too little in `ps`.
  await rename(join(dir, 'sql'), binaries.sqlTool);
  await rename(join(dir, 'server'), binaries.server);
  log(`Temporal server built in ${seconds} s.`);
  return binaries;
}
