/**
 * Every `patched()` id of the workflows, with the change it guards. Histories recorded before a
 * change replay down the old path; remove an id (with `deprecatePatch` first) only once no running
 * or replay-tested history predates it.
 */
export const PATCHES = {
  /**
   * Campaign workflow: a contact's next attempt (retry, follow-up) waits in its Postgres row instead
   * of the workflow's state, which a continue-as-new input must carry whole: a large campaign can
   * have tens of thousands waiting. The run keeps only a count, the next due time and the due
   * attempts it has taken.
   */
  retriesInContactRows: 'campaign-retries-in-contact-rows',
} as const;
