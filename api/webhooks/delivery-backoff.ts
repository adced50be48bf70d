/** The first wait after Temporal refused a signal; each later one doubles, up to MAX_DELAY_MS. */
const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 10 * 60_000;
/**
 * How long an event keeps being retried while Temporal refuses its signals: a cluster upgrade or an
 * outage of hours, not the 40 s a fixed 2 s × 20 allowed. After it the event is `failed`, and an
 * operator can redeliver it (POST /v1/admin/webhook-inbox/:id/redeliver).
 */
export const DELIVERY_BUDGET_MS = 6 * 60 * 60_000;

/** The wait before attempt `failures + 1`, or undefined once the waits so far have spent the budget. */
export function deliveryRetryDelay(failures: number): number | undefined {
  let spent = 0;
  for (let attempt = 0; attempt < failures; attempt++) spent += delayAfter(attempt);
  return spent >= DELIVERY_BUDGET_MS ? undefined : delayAfter(failures);
}

function delayAfter(attempt: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.min(attempt, 20), MAX_DELAY_MS);
}
