import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SOURCE_DIRS = ['api', 'activities', 'workflows', 'domain', 'worker', 'infra', 'schema'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = SOURCE_DIRS.flatMap((dir) => sources(join(ROOT, dir))).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));

/**
 * The call workflow is the one writer of a call's record: webhooks only reach it as signals through
 * the inbox, and its activities are the only code that writes call_attempts and call_events.
 */
describe('one writer of call records', () => {
  it('only the calls repository writes call_attempts and call_events', () => {
    const writers = files
      .filter(({ path }) => !path.startsWith('schema/migrations/'))
      .filter(({ text }) =>
        /(insertInto|updateTable|deleteFrom)\(\s*'(call_attempts|call_events)'/.test(text),
      )
      .map(({ path }) => path);
    expect(writers).toEqual(['schema/repositories/calls.repository.ts']);
  });

  it('only the call activities use the repository write functions', () => {
    const users = files
      .filter(({ text }) => /\b(reserveAttempt|appendCallEvents|writeCallState)\b/.test(text))
      .map(({ path }) => path)
      .sort();
    expect(users).toEqual(['activities/call.activities.ts', 'schema/repositories/calls.repository.ts']);
  });
});
