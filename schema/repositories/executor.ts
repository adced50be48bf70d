import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../types';

/** Repositories take either the pool or a caller's transaction: callers own transactions. */
export type Executor = Kysely<DB> | Transaction<DB>;
