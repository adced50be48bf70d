import type { CallFact } from '../domain/call-facts';
import { reduceCall, type CallResolution } from '../domain/outcome-reducer';
import type { CallRecordActivities } from './call-records';
import type { CallTiming, CallWorkflowInput } from './call.messages';

/**
 * The facts one call has gathered. Signals may repeat or arrive in any order; the resolution is
 * recomputed from the whole set, so neither changes the outcome.
 */
export class CallFacts {
  private readonly byKey = new Map<string, CallFact>();
  private unsaved: CallFact[] = [];
  private cached: CallResolution | undefined;

  add(fact: CallFact): boolean {
    if (this.byKey.has(fact.key)) return false;
    this.byKey.set(fact.key, fact);
    this.unsaved.push(fact);
    this.cached = undefined;
    return true;
  }

  addAll(facts: readonly CallFact[]): void {
    for (const fact of facts) this.add(fact);
  }

  has(kind: CallFact['kind']): boolean {
    for (const fact of this.byKey.values()) if (fact.kind === kind) return true;
    return false;
  }

  all(): CallFact[] {
    return [...this.byKey.values()];
  }

  /** Facts not yet written to the call's timeline. */
  takeUnsaved(): CallFact[] {
    const facts = this.unsaved;
    this.unsaved = [];
    return facts;
  }

  get resolution(): CallResolution {
    this.cached ??= reduceCall(this.all());
    return this.cached;
  }
}

/** What the parts of one call's workflow share: its input, its facts and how to report progress. */
export interface CallRun {
  input: CallWorkflowInput;
  timing: CallTiming;
  facts: CallFacts;
  /** The Postgres reads and writes, local or not as the history began. */
  records: CallRecordActivities;
  /** The number as operators may see it. */
  maskedNumber: string;
  /** Adds a fact and republishes the call's search attributes when it was new. */
  addFact(fact: CallFact): void;
  /** Publishes what turns left unpublished (turnFactsPublishLater); a no-op on older histories. */
  publishPending(): void;
  /** Sets the current details shown in the Temporal UI. */
  describe(waitingFor: string): void;
  now(): string;
}
