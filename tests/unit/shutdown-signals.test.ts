import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startReadyProcess } from '../support/ready-process';

const ENTRY = join(__dirname, '..', 'support', 'shutdown-signals.child.ts');

async function exitOf(
  child: ChildProcess,
  signals: NodeJS.Signals[],
): Promise<{ code: number | null; ms: number; output: string }> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  for (const signal of signals) {
    child.kill(signal);
    // The first signal's stop starts before the next signal arrives.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const code = await exited;
  return { code, ms: Date.now() - started, output };
}

describe('exitOnShutdownSignal', () => {
  it('exits 0 once the stop has finished, not before', async () => {
    const child = await startReadyProcess(ENTRY, [], { STOP_MS: '1500' });
    const exit = await exitOf(child, ['SIGTERM']);
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeGreaterThanOrEqual(1500);
    expect(exit.output).toContain('child: stopped');
  });

  it('exits 1 on a second signal while the stop is still running', async () => {
    const child = await startReadyProcess(ENTRY, [], {});
    const exit = await exitOf(child, ['SIGINT', 'SIGINT']);
    expect(exit.code).toBe(1);
    expect(exit.output).toContain('child: SIGINT again');
  });

  it('exits 1 when the stop outlasts its time, or fails', async () => {
    const slow = await startReadyProcess(ENTRY, [], { TIMEOUT_MS: '800' });
    const timedOut = await exitOf(slow, ['SIGTERM']);
    expect(timedOut.code).toBe(1);
    expect(timedOut.output).toContain('not stopped within 800 ms of SIGTERM');

    const failing = await startReadyProcess(ENTRY, [], { STOP_MS: '100', STOP_FAILS: '1' });
    const failed = await exitOf(failing, ['SIGTERM']);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('shutdown failed: could not close');
  });
});
