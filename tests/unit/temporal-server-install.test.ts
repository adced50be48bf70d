import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ensureTemporalServer,
  serverCacheDir,
  TEMPORAL_SERVER_VERSION,
  TemporalServerUnavailableError,
} from '../../infra/stack/temporal-server-install';

describe('Temporal server build', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'server-build-test-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('says what to install when there is neither a build nor Go', async () => {
    const promise = ensureTemporalServer({ PATH: '', HOME: root }, () => {}, []);
    await expect(promise).rejects.toThrow(TemporalServerUnavailableError);
    await expect(promise).rejects.toThrow(
      /Install Go 1\.25\+.*go install go\.temporal\.io\/server\/cmd\/server@v1\.29\.1/,
    );
  });

  it('builds the server and the schema tool into the versioned cache, then reuses them', async () => {
    // A stand-in `go` that records its arguments and "installs" both binaries under go's names.
    const goDir = join(root, 'go', 'bin');
    await mkdir(goDir, { recursive: true });
    await writeFile(
      join(goDir, 'go'),
      '#!/bin/sh\necho "$@" > "$GOBIN/go-args"\nfor b in server sql; do printf "#!/bin/sh\\n" > "$GOBIN/$b"; chmod +x "$GOBIN/$b"; done\n',
    );
    await chmod(join(goDir, 'go'), 0o755);
    const env = { PATH: '', HOME: root };
    const dir = serverCacheDir(env);
    expect(dir).toBe(join(root, '.cache', 'outdial', 'temporal-server', TEMPORAL_SERVER_VERSION));

    const built = await ensureTemporalServer(env, () => {}, [goDir]);
    expect(built).toEqual({ server: join(dir, 'temporal-server'), sqlTool: join(dir, 'temporal-sql-tool') });
    expect((await readFile(join(dir, 'go-args'), 'utf8')).trim()).toBe(
      `install go.temporal.io/server/cmd/server@${TEMPORAL_SERVER_VERSION} go.temporal.io/server/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
    );
    expect(await ensureTemporalServer(env, () => {}, [])).toEqual(built);
  });
});
