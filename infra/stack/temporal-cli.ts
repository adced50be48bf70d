import { delimiter, join } from 'node:path';
import { defaultGoDirs, findGo, goInstall, isExecutable, outdialCacheDir, type CacheEnv } from './go-install';

export interface LocatorEnv extends CacheEnv {
  TEMPORAL_CLI_PATH?: string;
}

/** Later tags carry a `replace` directive in go.mod and cannot be `go install`ed. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export type CliSource = 'env' | 'path' | 'cache' | 'built';

export interface LocatedCli {
  path: string;
  source: CliSource;
}

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

export function cacheDir(env: LocatorEnv = process.env): string {
  return outdialCacheDir(env, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/** Finds an existing binary without building: env override, then PATH, then the cache. */
export async function findTemporalCli(env: LocatorEnv = process.env): Promise<LocatedCli | undefined> {
  if (env.TEMPORAL_CLI_PATH) {
    if (await isExecutable(env.TEMPORAL_CLI_PATH)) return { path: env.TEMPORAL_CLI_PATH, source: 'env' };
    throw new TemporalCliUnavailableError(
      `TEMPORAL_CLI_PATH is set to ${env.TEMPORAL_CLI_PATH}, which is not an executable file.`,
    );
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'temporal');
    if (await isExecutable(candidate)) return { path: candidate, source: 'path' };
  }
  const cached = join(cacheDir(env), 'temporal');
  if (await isExecutable(cached)) return { path: cached, source: 'cache' };
  return undefined;
}

/** Locates the Temporal CLI, building it with `go install` into the cache when none exists. */
export async function ensureTemporalCli(
  env: LocatorEnv = process.env,
  log: (line: string) => void = (line) => console.log(line),
  goDirs: string[] = defaultGoDirs(env),
): Promise<LocatedCli> {
  const found = await findTemporalCli(env);
  if (found) return found;

  const go = await findGo(goDirs);
  if (!go) {
    throw new TemporalCliUnavailableError(
      'No Temporal CLI found (TEMPORAL_CLI_PATH, PATH, cache) and no Go toolchain to build one. ' +
        `Install Go 1.23+ (https://go.dev/dl) so Outdial can run \`go install ${MODULE}@${TEMPORAL_CLI_VERSION}\`, ` +
        'or set TEMPORAL_CLI_PATH to an existing temporal binary.',
    );
  }
  const dir = cacheDir(env);
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (first run only, takes minutes)...`);
  const seconds = await goInstall(go, [`${MODULE}@${TEMPORAL_CLI_VERSION}`], dir);
  log(`Temporal CLI built in ${seconds} s.`);
  return { path: join(dir, 'temporal'), source: 'built' };
}
