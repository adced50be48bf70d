import { CancellationScope, condition, isCancellation, patched } from '@temporalio/workflow';
import { dialSlotPolicy } from './activity-policies';
import type { CallState } from './call-state';
import type { CallWorkflowInput } from './call.messages';

/** Calls whose histories predate the tenant's concurrent-call limit dial without a slot. */
const TENANT_DIAL_SLOT = 'tenant-dial-slot';

/** The call's slot of its tenant's concurrent-call limit, held from just before the dial until its final status. */
export class DialSlot {
  private held = false;

  constructor(
    private readonly input: Pick<CallWorkflowInput, 'callId' | 'tenantId'>,
    private readonly state: CallState,
  ) {}

  /** Waits for a free slot; false when the call was hung up meanwhile. */
  async take(): Promise<boolean> {
    if (this.held || !patched(TENANT_DIAL_SLOT)) return true;
    const { input, state } = this;
    state.describe("a free line of the tenant's concurrent-call limit");
    const scope = new CancellationScope();
    const claim = scope.run(() =>
      dialSlotPolicy.claimDialSlot.executeWithOptions(
        { summary: `Concurrent-call slot for ${state.maskedNumber}` },
        [{ callId: input.callId, tenantId: input.tenantId }],
      ),
    );
    const hungUp = () => state.has('hangup_requested');
    let claimed = false;
    await Promise.race([claim.then(() => void (claimed = true)), condition(hungUp)]);
    if (!claimed) {
      scope.cancel();
      await claim.catch((error: unknown) => {
        if (!isCancellation(error)) throw error;
      });
      return false;
    }
    this.held = true;
    return true;
  }

  /** Gives the slot back: the call will not dial now after all. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    await dialSlotPolicy.releaseDialSlot({ callId: this.input.callId });
  }
}
