import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { CallFact } from '../domain/call-facts';
import { reduceCall, type CallResolution } from '../domain/outcome-reducer';
import { CallLabelAttr, CallOutcomeAttr, CallStatusAttr } from '../temporal-config/search-attributes';
import type { CallView, CallWorkflowInput } from './call.messages';
import { countAnswered } from './call-metrics';

/**
 * The facts one call has gathered, and what operators see of them: the search attributes they filter
 * on and the current details in the Temporal UI. Signals may repeat or arrive in any order; the
 * resolution is recomputed from the whole set, so neither changes the outcome.
 */
export class CallState {
  private readonly byKey = new Map<string, CallFact>();
  private unsaved: CallFact[] = [];
  private cached: CallResolution | undefined;
  private waitingFor = 'the calling window';
  private published = { status: '', outcome: '', label: '', answered: false };

  constructor(
    private readonly input: CallWorkflowInput,
    /** The number as operators may see it. */
    readonly maskedNumber: string,
  ) {}

  get resolution(): CallResolution {
    this.cached ??= reduceCall(this.all());
    return this.cached;
  }

  has(kind: CallFact['kind']): boolean {
    for (const fact of this.byKey.values()) if (fact.kind === kind) return true;
    return false;
  }

  all(): CallFact[] {
    return [...this.byKey.values()];
  }

  /** Adds the facts, and publishes once when any of them was new (one upsert for a whole webhook). */
  add(...facts: CallFact[]): void {
    let added = false;
    for (const fact of facts) added = this.remember(fact) || added;
    if (added) this.publish();
  }

  /**
   * A turn's fact. Once the call shows as answered it waits for the next publish: on the dev server
   * an upsert in the turn's workflow task costs the waiting caller as much as the turn itself, and
   * the provider's end follows the closing line within seconds.
   */
  addFromTurn(fact: CallFact): void {
    if (this.published.answered) this.remember(fact);
    else this.add(fact);
  }

  /** Facts not yet written to the call's timeline. */
  takeUnsaved(): CallFact[] {
    const facts = this.unsaved;
    this.unsaved = [];
    return facts;
  }

  /** Mirrors the resolution into the search attributes operators filter on. */
  publish(): void {
    const { status, outcome, label, answeredAt } = this.resolution;
    const updates = [];
    if (status !== this.published.status) updates.push({ key: CallStatusAttr, value: status });
    if (outcome && outcome !== this.published.outcome) updates.push({ key: CallOutcomeAttr, value: outcome });
    if (label && label !== this.published.label) updates.push({ key: CallLabelAttr, value: label });
    if (updates.length > 0) upsertSearchAttributes(updates);
    if (answeredAt !== null && !this.published.answered) {
      const { startedAt } = this.resolution;
      const seconds = startedAt ? (Date.parse(answeredAt) - Date.parse(startedAt)) / 1000 : undefined;
      countAnswered(this.input.provider, seconds);
    }
    this.published = { status, outcome: outcome ?? '', label: label ?? '', answered: answeredAt !== null };
  }

  /** Says in the Temporal UI what the call waits for. */
  describe(waitingFor: string): void {
    this.waitingFor = waitingFor;
    const { status, providerCallId } = this.resolution;
    setCurrentDetails(
      `**Waiting for** ${waitingFor}\n\nStatus: ${status} · ${this.maskedNumber} · ${this.input.provider}` +
        (providerCallId ? ` \`${providerCallId}\`` : ''),
    );
  }

  describeFinished(): void {
    const { status, outcome, hangupCause } = this.resolution;
    setCurrentDetails(
      `**Finished**: ${status} / ${outcome ?? 'no outcome'} · ${this.maskedNumber}` +
        (hangupCause ? `\n\n${hangupCause}` : ''),
    );
  }

  view(): CallView {
    const { status, outcome, label } = this.resolution;
    return {
      callId: this.input.callId,
      waitingFor: this.waitingFor,
      status,
      outcome,
      label,
      facts: this.all(),
    };
  }

  private remember(fact: CallFact): boolean {
    if (this.byKey.has(fact.key)) return false;
    this.byKey.set(fact.key, fact);
    this.unsaved.push(fact);
    this.cached = undefined;
    return true;
  }
}

export function nowIso(): string {
  return new Date(Date.now()).toISOString();
}
