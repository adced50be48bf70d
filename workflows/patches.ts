/**
 * Every `patched()` id of the call workflow, with the change it guards. Histories recorded before a
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
} as const;
