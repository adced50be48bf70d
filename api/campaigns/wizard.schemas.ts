import { z } from 'zod';

/** Response bodies of the new-campaign wizard's reads. */

const ColumnUseSchema = z.union([
  z.object({ field: z.literal('phone') }),
  z.object({ field: z.literal('name') }),
  z.object({ field: z.literal('variable'), variable: z.string() }),
]);

export const ColumnsSchema = z.object({
  sheets: z.array(z.string()).describe('every sheet of the workbook; one or none for a CSV'),
  sheet: z.string().nullable(),
  columns: z.array(
    z.object({
      header: z.string(),
      samples: z.array(z.string()).describe('the first non-empty values'),
      kind: z.enum(['phone', 'name', 'date', 'number', 'text']),
      mappedAs: ColumnUseSchema.optional(),
    }),
  ),
  warnings: z.array(
    z.object({
      code: z.string().describe('NAME_COLUMN_HOLDS_DATES, REQUIRED_VARIABLE_NOT_MAPPED, …'),
      column: z.string(),
      message: z.string(),
      samples: z.array(z.string()),
    }),
  ),
});

export const OpeningLinesSchema = z.object({
  items: z.array(
    z.object({
      contactId: z.uuid(),
      row: z.number().int(),
      name: z.string().nullable(),
      toNumber: z.string().describe('masked'),
      line: z.string().describe('the first thing the call says, exactly as it will say it'),
    }),
  ),
});

export const TestCallSchema = z.object({ callId: z.uuid(), contactId: z.uuid(), toNumber: z.string() });
