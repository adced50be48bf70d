import type { CallType, Label, Language } from '../vocabulary';

/** What the agent says in one language. Every line is a template (see `template.ts`). */
export interface FlowLines {
  /** Spoken first, before the question; sent with the dial request. */
  opening: string;
  /** The question the person answers (spoken right after the opening). */
  followup: string;
  /** Said when an answer could not be understood; names the DTMF keys. */
  reask: string;
  /** Last line per label; UNKNOWN is used once the re-asks are exhausted. */
  closing: Record<Label, string>;
  /** Replaces the ASK_AGENT closing when the campaign has a transfer number. */
  transfer: string;
}

export interface FlowScript {
  callType: CallType;
  /**
   * Words that are the flow's own subject: a question about them is on topic, not a reason to hand
   * the call to an agent (e.g. "kargo" in the shipping flow).
   */
  topicWords: readonly string[];
  lines: Record<Language, FlowLines>;
}
