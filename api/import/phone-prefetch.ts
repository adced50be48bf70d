import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { normalizePhone, toCountryCode, type PhoneParseResult } from '../../domain/phone';
import { locateHeader } from './header';
import { HEADER_SCAN_ROWS } from './limits';
import { resolveMapping } from './mapping';
import { decodePhoneResult, type PhoneBatch, type PhoneBatchReply } from './phone-batch';
import { MODULE_EXTENSION } from '../../infra/process/compiled';
import { startTsWorker } from './ts-worker';
import type { ColumnMappingInput, DncLookup } from './types';

/** Below this size an upload is read and mapped in a blink; a worker would only add latency. */
export const PREFETCH_MIN_BYTES = 256 * 1024;
/** Rows read before the phone column is guessed: the header scan plus the mapping's phone sample. */
const GUESS_AFTER_ROWS = HEADER_SCAN_ROWS + 250;
const BATCH_SIZE = 4000;

export interface PrefetchOptions {
  defaultCountry: string;
  requiredVariables: readonly string[];
  mapping?: ColumnMappingInput;
  /** When given, the numbers the worker returns are checked against the DNC list while the file is read. */
  isOnDnc?: DncLookup;
}

/** A prefetch for an upload large enough to be worth a second thread, else undefined. */
export function prefetchPhonesFor(file: Buffer, options: PrefetchOptions): PhonePrefetch | undefined {
  return file.length >= PREFETCH_MIN_BYTES ? new PhonePrefetch(options) : undefined;
}

/**
 * Normalises a large upload's phone column on a second core while the file is still being read.
 * The column is guessed from the first rows by the rules applyMapping uses; results are keyed by the
 * raw text, so a wrong guess or a dead worker only costs time: applyMapping normalises whatever the
 * worker did not. DNC answers are keyed by E.164 number, so they hold whatever the mapping turns out to be.
 */
export class PhonePrefetch {
  private readonly head: string[][] = [];
  private column: number | undefined;
  private pending: string[] = [];
  private readonly batches: Promise<{ values: string[]; results: string[] | undefined }>[] = [];
  /** One DNC lookup at a time, in batch order: one upload must not hog the database pool. */
  private dncLookups: Promise<void> = Promise.resolve();
  private readonly dnc: DncAnswers = { checked: new Set(), listed: new Set() };

  constructor(private readonly options: PrefetchOptions) {}

  /** Takes every row the reader keeps, title and header rows included, in sheet order. */
  readonly offer = (cells: readonly string[]): void => {
    if (this.column === undefined) {
      this.head.push(cells as string[]);
      if (this.head.length >= GUESS_AFTER_ROWS) this.guessColumn();
    } else if (this.column >= 0) {
      this.add(cells[this.column] ?? '');
    }
  };

  async results(): Promise<PrefetchedPhones> {
    if (this.column === undefined) this.guessColumn();
    this.send();
    const byRaw = new Map<string, string>();
    for (const { values, results } of await Promise.all(this.batches)) {
      if (results) for (let i = 0; i < values.length; i++) byRaw.set(values[i]!, results[i]!);
    }
    await this.dncLookups;
    return new PrefetchedPhones(this.options.defaultCountry, byRaw, this.dnc);
  }

  private guessColumn(): void {
    this.column = -1;
    try {
      const header = locateHeader({ rowNumbers: [], rows: this.head });
      const rows = this.head.slice(header.index + 1);
      const { plan } = resolveMapping({ headers: header.headers, rows }, this.options);
      this.column = plan.phone;
      for (const cells of rows) this.add(cells[plan.phone] ?? '');
    } catch {
      // No header or phone column among the first rows: applyMapping will report why.
    }
    this.head.length = 0;
  }

  private add(raw: string): void {
    if (raw === '') return;
    this.pending.push(raw);
    if (this.pending.length >= BATCH_SIZE) this.send();
  }

  private send(): void {
    if (this.pending.length === 0) return;
    const values = this.pending;
    this.pending = [];
    const results = phoneWorker.normalize(this.options.defaultCountry, values);
    this.batches.push(results.then((r) => ({ values, results: r })));
    const isOnDnc = this.options.isOnDnc;
    if (isOnDnc) this.dncLookups = this.dncLookups.then(() => this.checkDnc(isOnDnc, results));
  }

  private async checkDnc(isOnDnc: DncLookup, results: Promise<string[] | undefined>): Promise<void> {
    const numbers = new Set<string>();
    for (const encoded of (await results) ?? []) {
      const result = decodePhoneResult(encoded);
      if (result.ok && !this.dnc.checked.has(result.e164)) numbers.add(result.e164);
    }
    if (numbers.size === 0) return;
    try {
      const listed = await isOnDnc([...numbers]);
      for (const phone of listed) this.dnc.listed.add(phone);
      for (const phone of numbers) this.dnc.checked.add(phone);
    } catch {
      // Left unchecked: applyMapping looks these numbers up itself and reports a failure.
    }
  }
}

interface DncAnswers {
  checked: Set<string>;
  listed: Set<string>;
}

/** Worker results by raw text, with normalizePhone for anything the worker did not do. */
export class PrefetchedPhones {
  private readonly country: string | undefined;

  constructor(
    defaultCountry: string,
    private readonly byRaw: ReadonlyMap<string, string>,
    private readonly dnc?: DncAnswers,
  ) {
    this.country = countryCodeOrUndefined(defaultCountry);
  }

  /** Whether an E.164 number is on the DNC list, or undefined when it was not looked up. */
  onDnc(e164: string): boolean | undefined {
    return this.dnc?.checked.has(e164) ? this.dnc.listed.has(e164) : undefined;
  }

  /** Distinct numbers the worker normalised. */
  get size(): number {
    return this.byRaw.size;
  }

  /** `country` as applyMapping holds it: already checked with toCountryCode. */
  normalize(raw: string, country: string): PhoneParseResult {
    const encoded = country === this.country ? this.byRaw.get(raw) : undefined;
    return encoded === undefined ? normalizePhone(raw, country) : decodePhoneResult(encoded);
  }
}

function countryCodeOrUndefined(country: string): string | undefined {
  try {
    return toCountryCode(country);
  } catch {
    return undefined;
  }
}

/**
 * One worker thread for the process, started on first use and kept (unreferenced while idle) so
 * later uploads skip its start-up. Any failure resolves the outstanding batches with undefined.
 */
class PhoneWorker {
  private worker: Worker | undefined;
  /** Set once a worker has died: the import then runs on one thread rather than respawning. */
  private broken = false;
  private nextId = 0;
  private readonly waiting = new Map<number, (results: string[] | undefined) => void>();

  normalize(country: string, values: string[]): Promise<string[] | undefined> {
    if (this.broken) return Promise.resolve(undefined);
    let worker: Worker;
    try {
      worker = this.worker ?? this.start();
    } catch {
      // No tsx to load the worker's TypeScript (or no threads): stay on one thread.
      this.broken = true;
      return Promise.resolve(undefined);
    }
    const id = this.nextId++;
    // Referenced while it owes replies, so an await on it cannot be cut short by the loop emptying.
    if (this.waiting.size === 0) worker.ref();
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      worker.postMessage({ id, country, values } satisfies PhoneBatch);
    });
  }

  private start(): Worker {
    const worker = startTsWorker(join(__dirname, `phone.worker${MODULE_EXTENSION}`));
    worker.on('message', ({ id, results }: PhoneBatchReply) => this.settle(worker, id, results));
    worker.on('error', () => this.abandon(worker));
    worker.on('exit', () => this.abandon(worker));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, id: number, results: string[] | undefined): void {
    this.waiting.get(id)?.(results);
    this.waiting.delete(id);
    if (this.waiting.size === 0) worker.unref();
  }

  private abandon(worker: Worker): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.broken = true;
    for (const id of [...this.waiting.keys()]) this.settle(worker, id, undefined);
  }
}

const phoneWorker = new PhoneWorker();
