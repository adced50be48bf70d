import type { File, Reporter, Task } from 'vitest' with { 'resolution-mode': 'import' };

function count(tasks: readonly Task[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') count(task.tasks, totals);
    else if (task.result?.state === 'pass') totals.passed++;
    else if (task.result?.state === 'fail') totals.failed++;
    else totals.skipped++;
  }
}

/** Prints one closing line "N passed, N failed, N skipped", after the default summary, for CI. */
export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  }
}
