import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os', 'stream', 'util', 'events',
  'pg', 'kysely', '@temporalio/client', '@temporalio/worker', '@temporalio/activity',
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', 'eslint.config.mjs', 'vitest.config.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: no I/O, no clocks, no Node built-ins.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioModules.map((name) => ({ name, message: 'Not allowed in deterministic code.' })),
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not allowed in deterministic code.' },
            { group: ['@nestjs/*'], message: 'The API framework stays out of deterministic code.' },
          ],
        },
      ],
    },
  },
  {
    // The simulator answers and signs as the providers do, with code of its own: a fault in the API's
    // parsing or verifying cannot hide behind code both sides share.
    files: ['infra/dev/simulator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/api/**', '**/activities/**'],
              message: 'The simulator shares no code with the API or the provider adapters.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
