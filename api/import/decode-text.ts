import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'windows-1254' | 'windows-1252';
export type DetectedEncoding = TextEncoding | 'utf-16le' | 'utf-16be';

// Where Windows-1254 (Turkish) and Windows-1252 differ: Ğ İ Ş ğ ı ş versus Ð Ý Þ ð ý þ. The latter
// almost never appear in contact lists, so any of these bytes means a Turkish Excel export.
const TURKISH_ONLY_BYTES = new Set([0xd0, 0xdd, 0xde, 0xf0, 0xfd, 0xfe]);

/**
 * Decodes CSV bytes. A BOM wins over everything; then the declared encoding; then UTF-8 when the
 * bytes are valid UTF-8 (8-bit text with non-ASCII letters practically never is); else a Windows
 * code page, which is what Excel writes for "CSV" on Turkish and Western European Windows.
 */
export function decodeText(
  file: Buffer,
  declared?: TextEncoding,
): { text: string; encoding: DetectedEncoding } {
  if (file[0] === 0xef && file[1] === 0xbb && file[2] === 0xbf) {
    return { text: file.toString('utf8', 3), encoding: 'utf-8' };
  }
  if (file[0] === 0xff && file[1] === 0xfe)
    return { text: iconv.decode(file.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  if (file[0] === 0xfe && file[1] === 0xff)
    return { text: iconv.decode(file.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  if (declared) return { text: iconv.decode(file, declared), encoding: declared };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(file), encoding: 'utf-8' };
  } catch {
    const encoding = file.some((b) => TURKISH_ONLY_BYTES.has(b)) ? 'windows-1254' : 'windows-1252';
    return { text: iconv.decode(file, encoding), encoding };
  }
}
