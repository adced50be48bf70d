import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { generateClient } from './generate-client';
import { consoleViteConfig, WEB_ROOT } from './vite-config';

const ROOT = join(WEB_ROOT, '..');
const DIST = join(WEB_ROOT, 'dist');
const STAMP = '.inputs';
/** What the built console depends on: its own code and the API whose document types it. */
const INPUTS = ['web/src', 'web/index.html', 'web/tsconfig.json', 'api', 'domain', 'infra/web', 'package-lock.json'];

async function* files(path: string): AsyncGenerator<string> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    yield path;
    return;
  }
  for (const entry of (await readdir(path)).sort()) yield* files(join(path, entry));
}

/** A hash of every input's path, size and modification time: cheap, and changed by any edit. */
async function inputsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const input of INPUTS) {
    for await (const file of files(join(ROOT, input))) {
      const info = await stat(file);
      hash.update(`${relative(ROOT, file)}\0${info.size}\0${info.mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

/** Generates the typed client, type-checks the console against it, then bundles it. */
export async function buildConsole(log: (line: string) => void = () => {}): Promise<void> {
  const started = Date.now();
  const hash = await inputsHash();
  await generateClient(ROOT);
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(WEB_ROOT, 'tsconfig.json')], {
    cwd: ROOT,
  }).catch((error: Error & { stdout?: string }) => {
    throw new Error(`The console does not type-check against the API:\n${error.stdout || error.message}`);
  });
  // Built aside and swapped in: a page served meanwhile never sees a half-written folder.
  const staging = join(WEB_ROOT, `.dist-${process.pid}`);
  const { build } = await import('vite'); // ESM only
  // Vite and the React plugin take production from NODE_ENV, which vitest's global setup sets to test.
  const callersEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(await consoleViteConfig({ mode: 'production', build: { outDir: staging } }));
  } finally {
    // Assigning undefined would leave the string "undefined", which the config refuses.
    if (callersEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callersEnv;
  }
  await writeFile(join(staging, STAMP), hash);
  await rm(DIST, { recursive: true, force: true });
  await rename(staging, DIST);
  log(`console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Builds the console unless web/dist was built from exactly today's inputs. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<void> {
  const built = await readFile(join(DIST, STAMP), 'utf8').catch(() => undefined);
  if (built !== undefined && built === (await inputsHash())) return;
  await buildConsole(log);
}
