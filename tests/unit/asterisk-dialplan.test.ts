import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIALPLAN = readFileSync(join(__dirname, '..', '..', 'infra', 'asterisk', 'extensions.conf'), 'utf8');
/** The operator's own settings, from Asterisk's environment: not a call's data. */
const OPERATOR_SETTINGS = new Set(['OUTDIAL_WEBHOOK_BASE', 'OUTDIAL_WEBHOOK_TOKEN', 'SIP_TRUNK', 'AUDIOSOCKET_ADDR']);

/** The `${…}` expansions of `text` at the top level (a FILTER's inner expansion is part of it). */
function expansions(text: string): string[] {
  const found: string[] = [];
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i)) {
    let depth = 0;
    let end = i;
    for (; end < text.length; end++) {
      if (text.startsWith('${', end)) depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    found.push(text.slice(i + 2, end));
    i = end;
  }
  return found;
}

describe('the Asterisk dialplan (issue 20, item 3)', () => {
  const lines = DIALPLAN.split('\n').filter((line) => !line.trim().startsWith(';'));

  it('passes every value a call brings through FILTER() before a shell command runs it', () => {
    const commands = lines.filter((line) => line.includes('System('));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) {
      for (const expansion of expansions(line)) {
        if (OPERATOR_SETTINGS.has(expansion)) continue;
        expect(expansion, line).toMatch(/^FILTER\([^,]+,\$\{[A-Z_]+(:\d+)?\}\)$/);
      }
    }
  });

  it('dials only digits taken from the extension', () => {
    const dials = lines.filter((line) => /Dial\(PJSIP\//.test(line));
    expect(dials.length).toBeGreaterThan(0);
    for (const line of dials) expect(line, line).toMatch(/Dial\(PJSIP\/\$\{FILTER\(0-9,\$\{EXTEN(:\d)?\}\)\}@\$\{SIP_TRUNK\}/);
  });
});
