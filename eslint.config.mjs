import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = [
  'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os', 'stream', 'util', 'events',
  'pg', 'kysely', '@temporalio/client', '@temporalio/worker', '@temporalio/activity',
];

/**
 * Import boundaries between the top-level folders: each layer names what it may import; anything
 * else is an error. Production code never imports the development-only parts (infra/dev, infra/stack),
 * tests or benchmarks. Folder names are matched after the relative path's `../` run.
 */
const topLevel = ['domain', 'temporal-config', 'workflows', 'schema', 'activities', 'api', 'worker', 'infra', 'tests', 'bench', 'web'];
const devOnly = { regex: '^(\\.\\./)+infra/(dev|stack)(/|$)', message: 'Development-only parts stay out of production code.' };

function layer(files, allowed, { typeOnly = [], extra = [] } = {}) {
  const banned = (names, allowTypeImports) =>
    names.length === 0
      ? []
      : [{ regex: `^(\\.\\./)+(${names.join('|')})(/|$)`, allowTypeImports, message: `${files[0]} may import only ${allowed.join(', ')}.` }];
  const forbidden = topLevel.filter((name) => !allowed.includes(name) && !typeOnly.includes(name));
  return {
    files,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [...banned(forbidden, false), ...banned(typeOnly, true), devOnly, ...extra] },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'coverage/**', 'web/dist/**', 'web/.dist-*/**', 'web/generated/**', 'eslint.config.mjs', 'vitest.config.mts'] },
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
  layer(['domain/**/*.ts'], ['domain']),
  layer(['temporal-config/**/*.ts'], ['domain', 'temporal-config']),
  // Workflows see their activities only as types, through proxyActivities.
  layer(['workflows/**/*.ts'], ['domain', 'temporal-config', 'workflows'], { typeOnly: ['activities'] }),
  layer(['schema/**/*.ts'], ['domain', 'schema']),
  layer(['infra/config/**/*.ts'], ['domain', 'infra'], {
    extra: [{ regex: '^\\.\\./(dev|stack)(/|$)', message: 'Configuration is the bottom layer.' }],
  }),
  layer(['activities/**/*.ts'], ['domain', 'temporal-config', 'schema', 'activities', 'infra'], { typeOnly: ['workflows'] }),
  // The API reaches workflows through their contracts (messages, ids); workflow functions only as types.
  layer(['api/**/*.ts'], ['domain', 'temporal-config', 'schema', 'activities', 'workflows', 'infra', 'api'], {
    extra: [
      {
        regex: '^(\\.\\./)+workflows/(?!.*\\.messages$|workflow-ids$)',
        allowTypeImports: true,
        message: 'The API reaches workflows through their contracts: *.messages and workflow-ids.',
      },
    ],
  }),
  // The console reaches the API over HTTP only, typed by the generated OpenAPI schema.
  layer(['web/**/*.ts', 'web/**/*.tsx'], ['web']),
  layer(['worker/**/*.ts'], ['domain', 'temporal-config', 'schema', 'activities', 'workflows', 'infra', 'worker']),
);
