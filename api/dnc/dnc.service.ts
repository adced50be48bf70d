import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { addToDoNotCall, listDoNotCall, removeFromDoNotCall } from '../../schema/repositories/dnc.repository';
import { normalizePhone } from '../../domain/phone';
import type { DB } from '../../schema/types';
import { ProblemError } from '../common/problem';
import { parseBody } from '../common/validation';

const MAX_BULK = 10_000;

export const DncAddBody = z
  .object({
    phone: z.string().min(1).optional(),
    phones: z.array(z.string().min(1)).max(MAX_BULK).optional(),
    reason: z.string().max(500).optional(),
    defaultCountry: z.string().regex(/^[A-Z]{2}$/).default('TR'),
  })
  .refine((body) => body.phone !== undefined || (body.phones?.length ?? 0) > 0, 'give `phone` or `phones`');

export const DncRemoveBody = z.object({
  phones: z.array(z.string().min(1)).min(1).max(MAX_BULK),
  defaultCountry: z.string().regex(/^[A-Z]{2}$/).default('TR'),
});

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

  async list(tenantId: string, query: { cursor?: string; limit?: string }) {
    const limit = Math.min(Math.max(Number(query.limit ?? 100) || 100, 1), 1000);
    const rows = await listDoNotCall(this.db, tenantId, limit, query.cursor);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({ phone: r.phone_e164, reason: r.reason, source: r.source, createdAt: r.created_at.toISOString() })),
      nextCursor: rows.length === limit && last ? last.phone_e164 : null,
    };
  }

  async add(tenantId: string, raw: unknown) {
    const body = parseBody(DncAddBody, raw);
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
