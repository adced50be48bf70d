import { execFile } from 'node:child_process';
import { access, constants, mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CacheEnv {
  PATH?: string;
  OUTDIAL_CACHE_DIR?: string;
  XDG_CACHE_HOME?: string;
  HOME?: string;
}

/** The cache lives outside the repository so fresh clones and `git clean` reuse one build. */
export function outdialCacheDir(env: CacheEnv, ...parts: string[]): string {
  const base =
    env.OUTDIAL_CACHE_DIR ?? join(env.XDG_CACHE_HOME ?? join(env.HOME ?? homedir(), '.cache'), 'outdial');
  return join(base, ...parts);
}

export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Where Go is looked for: PATH, then the official tarball's install location. */
export function defaultGoDirs(env: CacheEnv): string[] {
  return [...(env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/go/bin'];
}

export async function findGo(dirs: string[]): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = join(dir, 'go');
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** `go install`s static binaries (no cgo, so no C toolchain) into `dir`; returns the seconds taken. */
export async function goInstall(go: string, packages: string[], dir: string): Promise<number> {
  await mkdir(dir, { recursive: true });
  const started = Date.now();
  await run(go, ['install', ...packages], {
    env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  return Math.round((Date.now() - started) / 1000);
}
