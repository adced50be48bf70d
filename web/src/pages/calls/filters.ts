import type { CallFilters, CallLabel, CallOutcome, CallStatus } from './types';

// The API's enums, in the order a person scans them; typed so a new value in the schema fails here.
export const STATUSES = [
  'queued', 'ringing', 'connected', 'talking', 'on_hold', 'transferred',
  'completed', 'failed', 'no_answer', 'busy', 'blocked', 'cancelled',
] as const satisfies readonly CallStatus[];
export const OUTCOMES = [
  'success', 'voicemail', 'no_answer', 'busy', 'failed', 'transferred',
  'callback_scheduled', 'opted_out', 'dnc_blocked', 'cancelled',
] as const satisfies readonly CallOutcome[];
export const LABELS = ['YES', 'NO', 'LATER', 'DONT_CALL', 'ASK_AGENT', 'UNKNOWN'] as const satisfies readonly CallLabel[];

/** Statuses of a call still under way: its page refreshes, and a manager may hang it up. */
export const LIVE: ReadonlySet<CallStatus> = new Set(['queued', 'ringing', 'connected', 'talking', 'on_hold']);

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.find((candidate) => candidate === value);

/** The filters in the address bar; an unknown value is ignored rather than sent to be refused. */
export function filtersFrom(params: URLSearchParams): CallFilters {
  const filters: CallFilters = {};
  const status = oneOf(STATUSES, params.get('status'));
  const outcome = oneOf(OUTCOMES, params.get('outcome'));
  const label = oneOf(LABELS, params.get('label'));
  const campaignId = params.get('campaignId');
  const q = params.get('q')?.trim();
  if (status) filters.status = status;
  if (outcome) filters.outcome = outcome;
  if (label) filters.label = label;
  if (campaignId) filters.campaignId = campaignId;
  if (q) filters.q = q;
  return filters;
}

/** The page size: 50, or fewer when the address asks (a short page makes "Load more" easy to see). */
export function pageSizeFrom(params: URLSearchParams): number {
  const asked = Number(params.get('limit'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 200 ? asked : 50;
}
