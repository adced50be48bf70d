import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { installQuietRuntime } from '/work/main/infra/quiet-runtime';
async function main() {
  installQuietRuntime(() => {});
  const path = process.argv[2]!;
  const bundle = await bundleWorkflowCode({ workflowsPath: path, logger: { trace(){}, debug(){}, info(){}, warn(){}, error(){}, log(){} } });
  console.log('bundle bytes', bundle.code.length);
  const { History } = temporal.api.history.v1;
  const history = History.fromObject(JSON.parse(readFileSync('/work/main/tests/replay/histories/human_yes.json', 'utf8')));
  const wfId = history.events[0]!.workflowExecutionStartedEventAttributes!.workflowId!;
  const N = 200;
  async function* gen() { for (let i = 0; i < N; i++) yield { workflowId: wfId + i, history }; }
  const t = performance.now();
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle }, gen())) { if (r.error) throw r.error; }
  console.log('per replay ms', ((performance.now() - t) / N).toFixed(2));
}
main();
