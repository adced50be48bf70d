import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The simulator's Asterisk posts what `infra/asterisk/extensions.conf` posts: each webhook body is
 * the dialplan's own `Gosub(outdial-webhook,…)` template, expanded as Asterisk expands it.
 */
export const DIALPLAN = readFileSync(join(__dirname, '..', '..', 'asterisk', 'extensions.conf'), 'utf8');

/** The dialplan's webhook subroutine waits 1, 2, 4 and 8 s between its five attempts. */
export const DIALPLAN_RETRY_DELAYS_MS = [1_000, 2_000, 4_000, 8_000];

export interface DialplanWebhook {
  /** The context the Gosub runs in, e.g. `amd_machine`. */
  context: string;
  path: string;
  /** The form body with its `${…}` expansions unexpanded. */
  body: string;
}

/** The dialplan's lines without its comments. */
export const dialplanLines = (): string[] =>
  DIALPLAN.split('\n').filter((line) => !line.trim().startsWith(';'));

/** Every `Gosub(outdial-webhook,s,1(<path>,<body>))` in the dialplan, with its context. */
export function dialplanWebhooks(): DialplanWebhook[] {
  let context = '';
  return dialplanLines().flatMap((line) => {
    context = /^\[([^\]]+)\]/.exec(line)?.[1] ?? context;
    const match = /Gosub\(outdial-webhook,s,1\(([^,]+),(.*)\)\)\s*$/.exec(line);
    return match ? [{ context, path: match[1]!, body: match[2]! }] : [];
  });
}

/** The form body the dialplan's `context` posts for a channel with these variables. */
export function dialplanWebhookBody(
  context: string,
  variables: Record<string, string>,
): { path: string; body: string } {
  const hook = dialplanWebhooks().find((candidate) => candidate.context === context);
  if (!hook) throw new Error(`the dialplan posts no webhook from [${context}]`);
  return { path: hook.path, body: expandBody(hook.body, variables) };
}

/** The `${…}` expansions of `text` at the top level (a FILTER's inner expansion is part of it). */
export function expansions(text: string): string[] {
  const found: string[] = [];
  for (let i = text.indexOf('${'); i >= 0; i = text.indexOf('${', i)) {
    const end = closingBrace(text, i);
    found.push(text.slice(i + 2, end));
    i = end;
  }
  return found;
}

function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let end = start; end < text.length; end++) {
    if (text.startsWith('${', end)) depth++;
    else if (text[end] === '}' && --depth === 0) return end;
  }
  return text.length;
}

/** Asterisk's FILTER(): keeps the characters of `allowed` (ranges such as 0-9, `\-` for a dash). */
export function asteriskFilter(allowed: string, value: string): string {
  const keep = new Set<string>();
  for (let i = 0; i < allowed.length; i++) {
    if (allowed[i] === '\\') {
      keep.add(allowed[++i] ?? '');
    } else if (allowed[i + 1] === '-' && i + 2 < allowed.length) {
      for (let c = allowed.charCodeAt(i); c <= allowed.charCodeAt(i + 2); c++)
        keep.add(String.fromCharCode(c));
      i += 2;
    } else {
      keep.add(allowed[i]!);
    }
  }
  return [...value].filter((c) => keep.has(c)).join('');
}

/**
 * Expands a webhook body as Asterisk would with the given channel variables. The only expansions
 * a body may hold are `FILTER(set,${VAR})` and `URIENCODE(${FILTER(…)})`; anything else throws.
 */
export function expandBody(body: string, variables: Record<string, string>): string {
  let out = '';
  let at = 0;
  for (let i = body.indexOf('${'); i >= 0; i = body.indexOf('${', at)) {
    const end = closingBrace(body, i);
    out += body.slice(at, i) + expandOne(body.slice(i + 2, end), variables);
    at = end + 1;
  }
  return out + body.slice(at);
}

function expandOne(expansion: string, variables: Record<string, string>): string {
  const encoded = /^URIENCODE\(\$\{(.*)\}\)$/.exec(expansion);
  if (encoded) return encodeURIComponent(expandOne(encoded[1]!, variables));
  const filtered = /^FILTER\(([^,]+),\$\{([A-Z_]+)(?::(\d+))?\}\)$/.exec(expansion);
  if (!filtered) throw new Error(`not a filtered value: \${${expansion}}`);
  const value = (variables[filtered[2]!] ?? '').slice(Number(filtered[3] ?? 0));
  return asteriskFilter(filtered[1]!, value);
}
