import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { DefaultCountrySchema } from '../common/country';
import { addToDoNotCall, listDoNotCall, removeFromDoNotCall } from '../../schema/repositories/dnc.repository';
import { normalizePhone } from '../../domain/phone';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { NumberSearch, searchDigits } from '../common/number-search';
import { ProblemError } from '../common/problem';
import { isImportError, parseContactFile, type ParsedSheet } from '../import';
import { resolveMapping } from '../import/mapping';

const MAX_BULK = 10_000;

const defaultCountry = DefaultCountrySchema;

export const DncListQuery = z.object({
  q: NumberSearch.optional(),
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

/** The form fields beside the uploaded `file`. */
export const DncUploadBody = z.object({ reason: z.string().max(500).optional(), defaultCountry });

/** Rows listed in an upload's report; the count covers the rest. */
const MAX_REPORTED = 1000;

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

  async list(tenantId: string, { q, cursor, limit }: z.infer<typeof DncListQuery>) {
    const digits = searchDigits(q);
    const rows = await withTenant(this.db, tenantId, (trx) =>
      listDoNotCall(trx, tenantId, limit, cursor, digits),
    );
    const last = rows[rows.length - 1];
    return {
      items: rows.map((r) => ({
        phone: r.phone_e164,
        reason: r.reason,
        source: r.source,
        // The flow runner's DONT_CALL writes `call:<id>`: the call the person asked in.
        sourceCallId: r.source.startsWith('call:') ? r.source.slice('call:'.length) : null,
        createdAt: r.created_at.toISOString(),
      })),
      nextCursor: rows.length === limit && last ? last.phone_e164 : null,
    };
  }

  async add(tenantId: string, body: z.infer<typeof DncAddBody>, source: string) {
    const { valid, invalid } = normalizeAll(
      [...(body.phone ? [body.phone] : []), ...(body.phones ?? [])],
      body.defaultCountry,
    );
    if (valid.length === 0) {
      throw new ProblemError(422, 'INVALID_PHONE', 'No valid phone number was given.', { invalid });
    }
    const added = await withTenant(this.db, tenantId, (trx) =>
      addToDoNotCall(
        trx,
        valid.map((phoneE164) => ({ tenantId, phoneE164, reason: body.reason ?? null, source })),
      ),
    );
    return { added, alreadyListed: valid.length - added, invalid };
  }

  /**
   * A list of numbers in a CSV or Excel file: the phone column is found as for a campaign's contacts,
   * and each row that holds no number we could call is reported with why.
   */
  async upload(
    tenantId: string,
    file: { buffer: Buffer; originalname: string },
    body: z.infer<typeof DncUploadBody>,
  ) {
    let sheet: ParsedSheet;
    let phoneColumn: number;
    try {
      sheet = await parseContactFile({ file: file.buffer, filename: file.originalname });
      phoneColumn = resolveMapping(sheet, { defaultCountry: body.defaultCountry, requiredVariables: [] }).plan
        .phone;
    } catch (error) {
      if (isImportError(error)) throw new ProblemError(error.status, error.code, error.message);
      throw error;
    }
    const rejected: { row: number; value: string; reason: string }[] = [];
    const valid = new Set<string>();
    sheet.rows.forEach((cells, index) => {
      const value = cells[phoneColumn] ?? '';
      const parsed = normalizePhone(value, body.defaultCountry);
      if (parsed.ok) valid.add(parsed.e164);
      else rejected.push({ row: sheet.rowNumbers[index] ?? index + 1, value, reason: parsed.reason });
    });
    const source = `upload:${file.originalname}`.slice(0, 200);
    const added = await withTenant(this.db, tenantId, (trx) =>
      addToDoNotCall(
        trx,
        [...valid].map((phoneE164) => ({ tenantId, phoneE164, reason: body.reason ?? null, source })),
      ),
    );
    return {
      added,
      alreadyListed: valid.size - added,
      rejected: rejected.slice(0, MAX_REPORTED),
      rejectedCount: rejected.length,
    };
  }

  async remove(tenantId: string, phones: string[], defaultCountry: string) {
    const { valid, invalid } = normalizeAll(phones, defaultCountry);
    const removed = await withTenant(this.db, tenantId, (trx) => removeFromDoNotCall(trx, tenantId, valid));
    return { removed, notListed: valid.length - removed, invalid };
  }
}
