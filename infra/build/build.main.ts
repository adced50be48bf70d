import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../config/temporal-connection';
import { ensureConsoleBuilt } from '../web/build-console';
import { WORKFLOWS_PATH, WORKFLOW_INTERCEPTOR_MODULES } from '../../worker/create-worker';

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
/** Read at run time from beside the compiled code (the simulator's dialplan). */
const ASSETS = ['infra/asterisk'];

const log = (line: string) => console.log(`[build] ${line}`);

async function step(name: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await work();
  log(`${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * `npm run build`: the production tree in dist/, run with plain node (no tsx): the TypeScript
 * compiled, the workflows bundled once (workers load the bundle, webpack never runs at start-up)
 * and the console built into dist/web/dist, where the compiled API serves it from.
 */
async function main(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  await step('compiled', () =>
    promisify(execFile)(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')],
      {
        cwd: ROOT,
      },
    ).catch((error: Error & { stdout?: string }) => {
      throw new Error(`tsc failed:\n${error.stdout || error.message}`);
    }),
  );
  // Bundled from the sources: the same input as the tests' and the replayer's bundles.
  await step('workflows bundled', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: { trace() {}, debug() {}, info() {}, log() {}, warn: log, error: log },
    });
    await writeFile(join(DIST, 'worker', 'workflow-bundle.js'), code);
  });
  await step('console built', async () => {
    await ensureConsoleBuilt();
    await cp(join(ROOT, 'web', 'dist'), join(DIST, 'web', 'dist'), { recursive: true });
  });
  for (const asset of ASSETS) {
    await mkdir(join(DIST, asset, '..'), { recursive: true });
    await cp(join(ROOT, asset), join(DIST, asset), { recursive: true });
  }
  log(
    'dist/ ready: node dist/api/main.js, dist/worker/main.js, dist/schema/migrate.js, dist/infra/dev/simulator/main.js',
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
