import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { addToDoNotCall, listDoNotCall, removeFromDoNotCall } from '../../schema/repositories/dnc.repository';
import { normalizePhone } from '../../domain/phone';
import type { DB } from '../../schema/types';
import { ProblemError } from '../common/problem';

const MAX_BULK = 10_000;

const defaultCountry = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .default('TR')
  .describe('ISO 3166 alpha-2 country of numbers written without a country code');

export const DncListQuery = z.object({
  cursor: z.string().optional().describe('`nextCursor` of the previous page'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const DncAddBody = z
  .object({
    phone: z.string().min(1).optional(),
    phones: z.array(z.string().min(1)).max(MAX_BULK).optional(),
    reason: z.string().max(500).optional(),
    defaultCountry,
  })
  .refine((body) => body.phone !== undefined || (body.phones?.length ?? 0) > 0, 'give `phone` or `phones`')
  .describe('`phone`, `phones` or both');

export const DncRemoveBody = z.object({
  phones: z.array(z.string().min(1)).min(1).max(MAX_BULK),
  defaultCountry,
});

export const DncCountryQuery = z.object({ defaultCountry });

interface Normalized {
  valid: string[];
  invalid: { value: string; reason: string }[];
}

function normalizeAll(values: string[], country: string): Normalized {
  const result: Normalized = { valid: [], invalid: [] };
  for (const value of values) {
    const parsed = normalizePhone(value, country);
    if (parsed.ok) result.valid.push(parsed.e164);
    else result.invalid.push({ value, reason: parsed.reason });
  }
  result.valid = [...new Set(result.valid)];
  return result;
}

/** The tenant's Do-Not-Call list; every campaign and every dial of the tenant checks it. */
@Injectable()
export class DncService {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  async list(tenantId: string, { cursor, limit }: z.infer<typeof DncListQuery>) {
    const rows = await listDoNotCall(this.db, tenantId, limit, cursor);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({ phone: r.phone_e164, reason: r.reason, source: r.source, createdAt: r.created_at.toISOString() })),
      nextCursor: rows.length === limit && last ? last.phone_e164 : null,
    };
  }

  async add(tenantId: string, body: z.infer<typeof DncAddBody>) {
    const { valid, invalid } = normalizeAll([...(body.phone ? [body.phone] : []), ...(body.phones ?? [])], body.defaultCountry);
    if (valid.length === 0) {
      throw new ProblemError(422, 'INVALID_PHONE', 'No valid phone number was given.', { invalid });
    }
    const added = await addToDoNotCall(
      this.db,
      valid.map((phoneE164) => ({ tenantId, phoneE164, reason: body.reason ?? null, source: 'api' })),
    );
    return { added, alreadyListed: valid.length - added, invalid };
  }

  async remove(tenantId: string, phones: string[], defaultCountry: string) {
    const { valid, invalid } = normalizeAll(phones, defaultCountry);
    const removed = await removeFromDoNotCall(this.db, tenantId, valid);
    return { removed, notListed: valid.length - removed, invalid };
  }
}
