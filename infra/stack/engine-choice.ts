export type EngineName = 'dev' | 'server';

/** `--engine <name>` or `--engine=<name>`, else OUTDIAL_TEMPORAL_ENGINE, else the dev server. */
export function chosenEngine(argv: readonly string[], env: Record<string, string | undefined>): EngineName {
  const at = argv.findIndex((arg) => arg === '--engine' || arg.startsWith('--engine='));
  if (at < 0) return parseEngine(env.OUTDIAL_TEMPORAL_ENGINE || 'dev', 'OUTDIAL_TEMPORAL_ENGINE');
  const arg = argv[at]!;
  return parseEngine(arg === '--engine' ? argv[at + 1] : arg.slice('--engine='.length), '--engine');
}

function parseEngine(value: string | undefined, source: string): EngineName {
  if (value === 'dev' || value === 'server') return value;
  throw new Error(`${source} must be dev or server${value ? `, not ${value}` : ''}`);
}
