import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    reporters: ['default', './tests/support/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Projects inherit the timeouts above (`extends: true`); without it they fall back to vitest's 5 s / 10 s.
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts', 'tests/replay/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'stack',
          include: [
            'tests/workflows/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/chaos/**/*.test.ts',
            'tests/faults/**/*.test.ts',
            'tests/browser/**/*.test.ts',
          ],
          // One dev server and one Postgres for every suite in this project, started once.
          globalSetup: ['tests/support/global-setup.ts'],
          // Files share one dev server and Postgres; run them one at a time.
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 120_000,
        },
      },
    ],
  },
});
