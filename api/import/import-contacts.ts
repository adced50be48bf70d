import { applyMapping } from './apply-mapping';
import type { TextEncoding } from './decode-text';
import type { ImportLimits } from './limits';
import { parseContactFile } from './parse-file';
import { prefetchPhonesFor } from './phone-prefetch';
import type { ColumnMappingInput, DncLookup, ImportResult } from './types';

export interface ImportContactsInput {
  file: Buffer;
  filename: string;
  defaultCountry: string;
  requiredVariables: string[];
  mapping?: ColumnMappingInput;
  sheet?: string;
  encoding?: TextEncoding;
  limits?: Partial<ImportLimits>;
  isOnDnc: DncLookup;
}

/**
 * Upload → contacts and report. Throws ImportError for a file that cannot become a contact list;
 * row-level problems go into the report instead. Callers that keep drafts call parseContactFile and
 * applyMapping themselves and store the ParsedSheet.
 */
export async function importContacts(input: ImportContactsInput): Promise<ImportResult> {
  const prefetch = prefetchPhonesFor(input.file, input);
  const sheet = await parseContactFile({ ...input, ...(prefetch ? { onRow: prefetch.offer } : {}) });
  return applyMapping(sheet, input.mapping, {
    ...input,
    ...(prefetch ? { phones: await prefetch.results() } : {}),
  });
}
