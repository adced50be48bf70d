/**
 * Every `patched()` id of the call and campaign workflows, with the change it guards. Histories recorded before a
 * change replay down the old path; remove an id (with `deprecatePatch` first) only once no running
 * or replay-tested history predates it.
 */
export const PATCHES = {
  /** A hang-up mid-conversation logs the outcome understood so far (UNKNOWN when none). */
  flowHangupLogsOutcome: 'flow-hangup-logs-outcome',
  /**
   * A flow turn proves the call was answered (ElevenLabs sends no answer event), and an answered
   * call skips the ring-timeout check instead of waking for it and asking the provider.
   */
  turnProvesAnswer: 'turn-proves-answer',
  /**
   * The call's short Postgres reads and writes (attempt reservation, DNC precheck, state and final
   * record) run as local activities: inside the workflow task that needs them, without an activity
   * task's round trips through the server, which cost as much as the call's other work together.
   * Each is idempotent, so a re-run after a lost workflow task is harmless. The dial stays a normal
   * activity: it is scheduled by a completed workflow task and started at most once.
   */
  localCallRecords: 'local-call-records',
  /**
   * The answer no longer wakes the call's wait to drop the ring timer: cancelling it and starting
   * the next one cost two commands in the first turn's workflow task, which the caller waits on. The
   * timer fires later, off any turn, and the ring check finds the call answered and does nothing.
   */
  ringTimerOutlivesAnswer: 'ring-timer-outlives-answer',
  /**
   * A turn's writes (do-not-call, callback, follow-up) run as activities after its answer instead of
   * local activities before it: the caller no longer waits on Postgres, and the writes retry until
   * they succeed instead of failing the turn.
   */
  turnActionsAfterAnswer: 'turn-actions-after-answer',
  /**
   * Once a call shows as answered, a turn's facts (label, talking, transfer) no longer upsert the
   * search attributes in the turn's workflow task: on the dev server an upsert costs the waiting
   * caller as much as the turn itself. The next fact from elsewhere (the provider's end follows the
   * closing line within seconds) publishes them, and the workflow publishes before its final record.
   */
  turnFactsPublishLater: 'turn-facts-publish-later',
  /**
   * ASK_AGENT with a transfer number no longer records the call as transferred when the flow decides
   * it: the turn's answer asks the agent to transfer, and the provider's post-call report (the
   * transfer_to_number tool's result) confirms it. No call is shown as transferred that was not.
   * Other providers cannot transfer yet: there the person gets a callback instead.
   */
  transferByAgent: 'transfer-by-agent',
  /**
   * Ultravox legs transfer too: the dial selects Ultravox's coldTransfer tool (a REFER to our
   * Asterisk), and Asterisk's `call-transferred` webhook confirms it. Only Asterisk-originated calls
   * still get a callback instead. An Ultravox transfer not yet confirmed when Ultravox reports the
   * end gets a moment for Asterisk's confirmation, which may come second.
   */
  ultravoxColdTransfer: 'ultravox-cold-transfer',
} as const;
