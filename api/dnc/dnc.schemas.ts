import { z } from 'zod';

/** Response bodies of the Do-Not-Call endpoints. */

const InvalidSchema = z.array(z.object({ value: z.string(), reason: z.string() }));

export const DncPageSchema = z.object({
  items: z.array(
    z.object({
      phone: z.string(),
      reason: z.string().nullable(),
      source: z.string().describe('api, user:<email>, upload:<file> or call:<call id> (the person asked)'),
      sourceCallId: z.string().nullable().describe('the call the person asked not to be called in'),
      createdAt: z.iso.datetime(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

export const DncAddedSchema = z.object({
  added: z.number().int(),
  alreadyListed: z.number().int(),
  invalid: InvalidSchema,
});

export const DncRemovedSchema = z.object({
  removed: z.number().int(),
  notListed: z.number().int(),
  invalid: InvalidSchema,
});

export const DncUploadedSchema = z.object({
  added: z.number().int(),
  alreadyListed: z.number().int(),
  rejected: z.array(z.object({ row: z.number().int(), value: z.string(), reason: z.string() })),
  rejectedCount: z.number().int(),
});
