import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/create-worker';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { parseConfig } from '../../infra/config/config';
import { temporalDataConverter } from '../../infra/config/temporal-connection';
import { LOCAL_SECRETS } from '../../infra/stack/local-secrets';

const DIR = join(__dirname, 'histories');
/** The representative calls `npm run replay:record` writes; a missing one fails here. */
const EXPECTED = [
  'asterisk_transfer',
  'asterisk_transfer_busy',
  'busy',
  'campaign_busy_retry',
  'campaign_carries_live_calls',
  'dial_result_unknown',
  'dnc_blocked',
  'human_dont_call',
  'human_hangs_up',
  'human_yes',
  'no_answer',
  'transfer_refused',
  'ultravox_transfer',
  'ultravox_transfer_busy',
  'ultravox_transfer_confirmed_late',
  'ultravox_transfer_human_leg',
  'voicemail_amd_after_end',
  'voicemail_amd_before_end',
];

function load(file: string): { workflowId: string; history: temporal.api.history.v1.History } {
  const { History } = temporal.api.history.v1;
  const history = History.fromObject(
    JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Record<string, unknown>,
  );
  const started = history.events[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error(`${file}: the first event is not WorkflowExecutionStarted`);
  const { workflowId } = started;
  if (!workflowId) throw new Error(`${file}: no workflow id`);
  return { workflowId, history };
}

describe('replay of recorded call histories', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has every representative scenario', () => {
    expect(files.map((f) => f.replace(/\.json$/, ''))).toEqual(EXPECTED);
  });

  it('replays each history with the current workflow code without nondeterminism', async () => {
    installQuietRuntime(() => {});
    const histories = files.map(load);
    expect(new Set(histories.map((h) => h.workflowId)).size).toBe(EXPECTED.length);
    const replayed: string[] = [];
    // Through the payload codec, as the workers run: histories recorded in clear decode as they are.
    const dataConverter = temporalDataConverter(parseConfig({ ...LOCAL_SECRETS, NODE_ENV: 'test' }));
    for await (const result of Worker.runReplayHistories(
      // With the interceptors production runs: they add headers, never commands.
      {
        workflowsPath: WORKFLOWS_PATH,
        interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
        dataConverter,
      },
      histories,
    )) {
      expect(result.error, `${result.workflowId}: ${String(result.error)}`).toBeUndefined();
      replayed.push(result.workflowId);
    }
    expect(replayed.sort()).toEqual(histories.map((h) => h.workflowId).sort());
  }, 120_000);
});
