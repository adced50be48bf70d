import { z } from 'zod';
import { NumberSearch } from '../common/number-search';
import { CALL_OUTCOMES, CALL_STATUSES, LABELS } from '../../domain/vocabulary';

/** `GET /v1/calls`: the tenant's calls, newest first; `nextCursor` fetches the next page. */
export const TenantCallsQuery = z.object({
  campaignId: z.uuid().optional(),
  status: z.enum(CALL_STATUSES).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  label: z.enum(LABELS).optional(),
  q: NumberSearch.optional(),
  cursor: z.string().optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
