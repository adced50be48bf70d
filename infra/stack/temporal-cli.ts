import { execFile } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Later tags carry a `replace` directive in go.mod and cannot be `go install`ed. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';

export interface LocatorEnv {
  TEMPORAL_CLI_PATH?: string;
  PATH?: string;
  OUTDIAL_CACHE_DIR?: string;
  XDG_CACHE_HOME?: string;
  HOME?: string;
}

export type CliSource = 'env' | 'path' | 'cache' | 'built';

export interface LocatedCli {
  path: string;
  source: CliSource;
}

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

/** The cache lives outside the repository so fresh clones and `git clean` reuse one build. */
export function cacheDir(env: LocatorEnv = process.env): string {
  const base = env.OUTDIAL_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'outdial');
  return join(base, 'temporal-cli', TEMPORAL_CLI_VERSION);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
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

/** Where Go is looked for: PATH, then the official tarball's install location. */
function defaultGoDirs(env: LocatorEnv): string[] {
  return [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/go/bin'];
}

async function findGo(dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = join(dir, 'go');
    if (await isExecutable(candidate)) return candidate;
  }
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
  await mkdir(dir, { recursive: true });
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (first run only, takes minutes)...`);
  const started = Date.now();
  await run(go, ['install', `${MODULE}@${TEMPORAL_CLI_VERSION}`], {
    env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return { path: join(dir, 'temporal'), source: 'built' };
}
