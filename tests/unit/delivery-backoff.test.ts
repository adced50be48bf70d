import { describe, expect, it } from 'vitest';
import { DELIVERY_BUDGET_MS, deliveryRetryDelay } from '../../api/webhooks/delivery-backoff';

describe('webhook delivery backoff (issue 20, item 10)', () => {
  it('doubles from 2 s to a 10 minute ceiling', () => {
    expect([0, 1, 2, 3, 8, 9, 10, 30].map(deliveryRetryDelay)).toEqual([2_000, 4_000, 8_000, 16_000, 512_000, 600_000, 600_000, 600_000]);
  });

  it('keeps retrying through hours of outage, then gives up once the budget is spent', () => {
    let failures = 0;
    let waited = 0;
    for (let delay = deliveryRetryDelay(0); delay !== undefined; delay = deliveryRetryDelay(++failures)) waited += delay;
    expect(waited).toBeGreaterThanOrEqual(DELIVERY_BUDGET_MS);
    expect(waited).toBeLessThan(DELIVERY_BUDGET_MS + 10 * 60_000);
    // The old schedule gave up after 20 looks 2 s apart: about 40 s.
    expect(failures).toBeGreaterThan(20);
  });
});
