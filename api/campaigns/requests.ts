import { z } from 'zod';
import { CALL_OUTCOMES, CALL_STATUSES, LABELS } from '../../domain/vocabulary';
import { ColumnMappingSchema } from './campaign-config';
import type { ResultsFormat } from './results-export';

/** `PUT /v1/campaigns/:id/mapping`. */
export const RemapBody = z.object({ columnMapping: ColumnMappingSchema });

/** `POST /v1/campaigns/:id/start`: now, or at `startAt` (the campaign is `scheduled` until then). */
export const StartBody = z.object({
  startAt: z.iso.datetime({ offset: true }).optional().describe('ISO time to start at; absent or past: now'),
});

/** `GET /v1/campaigns/:id/results`. */
export const ResultsQuery = z.object({
  format: z.enum(['csv', 'xlsx'] as const satisfies readonly ResultsFormat[]).default('csv'),
});

/** `GET /v1/campaigns/:id/calls`: oldest first; `nextCursor` fetches the next page. */
export const CallsQuery = z.object({
  status: z.enum(CALL_STATUSES).optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  label: z.enum(LABELS).optional(),
  cursor: z.string().optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
