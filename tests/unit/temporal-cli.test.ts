import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cacheDir,
  ensureTemporalCli,
  findTemporalCli,
  TEMPORAL_CLI_VERSION,
  TemporalCliUnavailableError,
} from '../../infra/stack/temporal-cli';

async function fakeBinary(dir: string, name = 'temporal'): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, '#!/bin/sh\necho fake\n');
  await chmod(path, 0o755);
  return path;
}

describe('Temporal CLI locator', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'cli-test-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('prefers TEMPORAL_CLI_PATH', async () => {
    const explicit = await fakeBinary(join(root, 'explicit'));
    const onPath = await fakeBinary(join(root, 'bin'));
    const found = await findTemporalCli({ TEMPORAL_CLI_PATH: explicit, PATH: join(root, 'bin'), HOME: root });
    expect(found).toEqual({ path: explicit, source: 'env' });
    expect(onPath).not.toBe(explicit);
  });

  it('fails clearly when TEMPORAL_CLI_PATH is not executable', async () => {
    await expect(
      findTemporalCli({ TEMPORAL_CLI_PATH: join(root, 'nope'), PATH: '', HOME: root }),
    ).rejects.toThrow(/TEMPORAL_CLI_PATH is set to .*nope, which is not an executable file/);
  });

  it('finds temporal on PATH before the cache', async () => {
    const onPath = await fakeBinary(join(root, 'bin'));
    await fakeBinary(cacheDir({ HOME: root }));
    expect(await findTemporalCli({ PATH: `/nonexistent:${join(root, 'bin')}`, HOME: root })).toEqual({
      path: onPath,
      source: 'path',
    });
  });

  it('falls back to the versioned cache outside the repository', async () => {
    const cached = await fakeBinary(cacheDir({ HOME: root }));
    expect(cached).toContain(join(root, '.cache', 'outdial', 'temporal-cli', TEMPORAL_CLI_VERSION));
    expect(await findTemporalCli({ PATH: '', HOME: root })).toEqual({ path: cached, source: 'cache' });
  });

  it('honours OUTDIAL_CACHE_DIR and XDG_CACHE_HOME', () => {
    expect(cacheDir({ OUTDIAL_CACHE_DIR: '/x' })).toBe(join('/x', 'temporal-cli', TEMPORAL_CLI_VERSION));
    expect(cacheDir({ XDG_CACHE_HOME: '/y', HOME: '/h' })).toBe(
      join('/y', 'outdial', 'temporal-cli', TEMPORAL_CLI_VERSION),
    );
  });

  it('returns nothing when no binary exists', async () => {
    expect(await findTemporalCli({ PATH: '', HOME: root })).toBeUndefined();
  });

  it('says what to install when there is neither a binary nor Go', async () => {
    const promise = ensureTemporalCli({ PATH: '', HOME: root }, () => {}, []);
    await expect(promise).rejects.toThrow(TemporalCliUnavailableError);
    await expect(promise).rejects.toThrow(
      /Install Go 1\.23\+.*go install github\.com\/temporalio\/cli\/cmd\/temporal@v1\.5\.1/,
    );
  });

  it('builds with go install into the cache, then reuses the cached build', async () => {
    // A stand-in `go` that records its arguments and "installs" a binary into GOBIN.
    const goDir = join(root, 'go', 'bin');
    await mkdir(goDir, { recursive: true });
    await writeFile(
      join(goDir, 'go'),
      '#!/bin/sh\necho "$@" > "$GOBIN/go-args"\nprintf "#!/bin/sh\\n" > "$GOBIN/temporal"\nchmod +x "$GOBIN/temporal"\n',
    );
    await chmod(join(goDir, 'go'), 0o755);
    const env = { PATH: '', HOME: root };
    const lines: string[] = [];

    const built = await ensureTemporalCli(env, (line) => lines.push(line), [goDir]);
    expect(built).toEqual({ path: join(cacheDir(env), 'temporal'), source: 'built' });
    const args = await import('node:fs/promises').then((fs) =>
      fs.readFile(join(cacheDir(env), 'go-args'), 'utf8'),
    );
    expect(args.trim()).toBe(`install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`);
    expect(lines.join('\n')).toMatch(/first run only/);

    const again = await ensureTemporalCli(env, () => {}, []);
    expect(again).toEqual({ path: built.path, source: 'cache' });
  });
});
