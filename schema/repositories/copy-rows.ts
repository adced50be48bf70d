import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, type Transaction } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { DB } from '../types';

/** Text handed to Postgres per COPY data message: large enough to amortise, small enough to stay flat. */
const CHUNK_CHARS = 256 * 1024;
/** COPY text built ahead while the connection is still busy with an earlier statement. */
const BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * `COPY table (columns) FROM STDIN` (text format) on the transaction's own connection, with lines
 * whose fields come from copyField, given at once or as they are made. Kysely has no COPY; its pg
 * connection hands a query's `sql` straight to `client.query`, which takes any Submittable, so a
 * pg-copy-streams query passed there runs on that connection, after the statements already queued
 * on it and before later ones. Only in a transaction: a pooled connection would go back to the pool
 * while the COPY still streams.
 */
export async function copyRows(
  trx: Transaction<DB>,
  table: string,
  columns: readonly string[],
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<number> {
  if (!trx.isTransaction) throw new Error('copyRows runs only inside a transaction');
  const copy = copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`, { highWaterMark: BUFFER_BYTES });
  // Fed from now on: the stream holds the text until Postgres asks for it.
  const fed = pipeline(Readable.from(chunked(lines)), copy);
  const submit: CompiledQuery = { ...CompiledQuery.raw(''), sql: copy as unknown as string };
  await Promise.all([trx.executeQuery(submit), fed]);
  return copy.rowCount;
}

async function* chunked(lines: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A field of a COPY text-format line (fields tab-separated, lines newline-ended): what would end
 * the field or the line is escaped, and null is \N.
 */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (ch) => ESCAPES[ch]!) : value;
}
