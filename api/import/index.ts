export { applyMapping, type ApplyMappingOptions } from './apply-mapping';
export type { DetectedEncoding, TextEncoding } from './decode-text';
export { detectFormat, type FileFormat } from './detect-format';
export { IMPORT_ERROR_STATUS, ImportError, isImportError, type ImportErrorCode } from './errors';
export { importContacts, type ImportContactsInput } from './import-contacts';
export { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './limits';
export { parseContactFile, type ParseInput } from './parse-file';
export { prefetchPhonesFor, type PrefetchedPhones } from './phone-prefetch';
export type * from './types';
