export const SCENARIO_NAMES = [
  'human_yes',
  'human_no',
  'human_later',
  'human_dont_call',
  'human_agent',
  'human_agent_busy',
  'human_agent_no_answer',
  'human_agent_unreachable',
  'human_hangs_up',
  'human_yes_paraphrase',
  'voicemail_amd',
  'voicemail_agent',
  'busy',
  'no_answer',
  'invalid_number',
  'rejected',
  'dial_network_failure',
  'dial_error_4xx',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** A fixed scenario for every call, or a choice per call from the number and the dial's variables. */
export type ScenarioRule =
  ScenarioName | ((toNumber: string, variables: Record<string, string>) => ScenarioName);

export type HumanScenario =
  | 'human_yes'
  | 'human_no'
  | 'human_later'
  | 'human_dont_call'
  | 'human_agent'
  | 'human_agent_busy'
  | 'human_agent_no_answer'
  | 'human_agent_unreachable'
  | 'human_hangs_up'
  | 'human_yes_paraphrase';
export type FailureScenario = 'busy' | 'no_answer' | 'invalid_number' | 'rejected';

export function isScenarioName(value: unknown): value is ScenarioName {
  return typeof value === 'string' && (SCENARIO_NAMES as readonly string[]).includes(value);
}

export function isHumanScenario(name: ScenarioName): name is HumanScenario {
  return name.startsWith('human_');
}

export function isFailureScenario(name: ScenarioName): name is FailureScenario {
  return name in FAILURES;
}

/** What the called person says, turn by turn (Turkish, as in the seeds). */
export const HUMAN_SCRIPTS: Record<HumanScenario, string[]> = {
  human_yes: ['alo', 'evet'],
  human_no: ['alo', 'hayır'],
  human_later: ['alo', 'daha sonra'],
  human_dont_call: ['alo', 'beni aramayın'],
  human_agent: ['alo', 'temsilci'],
  human_agent_busy: ['alo', 'temsilci'],
  human_agent_no_answer: ['alo', 'temsilci'],
  human_agent_unreachable: ['alo', 'temsilci'],
  // Hangs up after the re-ask, before answering it.
  human_hangs_up: ['alo'],
  // "I'll take care of it, don't worry": YES to a person, no keyword to the classifier.
  human_yes_paraphrase: ['alo', 'hallederim, merak etmeyin'],
};

export const VOICEMAIL_GREETING =
  'Aradığınız kişiye şu anda ulaşılamıyor, lütfen sinyal sesinden sonra mesajınızı bırakın.';

export interface FailureProfile {
  sipCode: number;
  sipReason: string;
  /** ElevenLabs `call_initiation_failure.failure_reason`. */
  elevenlabsReason: 'busy' | 'no-answer' | 'unknown';
  /** Twilio `CallStatus` in the failure metadata body. */
  twilioStatus: 'busy' | 'no-answer' | 'failed';
  /** Ultravox `sipDetails.terminationReason` (seed 001 §3). */
  ultravoxTermination: string;
  /** Asterisk DIALSTATUS and Q.850 HANGUPCAUSE for the call-failed webhook. */
  dialStatus: 'BUSY' | 'NOANSWER' | 'CHANUNAVAIL' | 'CONGESTION';
  hangupCause: string;
}

export const FAILURES: Record<FailureScenario, FailureProfile> = {
  busy: {
    sipCode: 486,
    sipReason: 'Busy Here',
    elevenlabsReason: 'busy',
    twilioStatus: 'busy',
    ultravoxTermination: 'SIP_TERMINATION_BUSY',
    dialStatus: 'BUSY',
    hangupCause: '17',
  },
  no_answer: {
    sipCode: 480,
    sipReason: 'Temporarily Unavailable',
    elevenlabsReason: 'no-answer',
    twilioStatus: 'no-answer',
    ultravoxTermination: 'SIP_TERMINATION_TIMEOUT',
    dialStatus: 'NOANSWER',
    hangupCause: '19',
  },
  invalid_number: {
    sipCode: 404,
    sipReason: 'Not Found',
    elevenlabsReason: 'unknown',
    twilioStatus: 'failed',
    ultravoxTermination: 'SIP_TERMINATION_INVALID_NUMBER',
    dialStatus: 'CHANUNAVAIL',
    hangupCause: '1',
  },
  rejected: {
    sipCode: 603,
    sipReason: 'Decline',
    elevenlabsReason: 'busy',
    twilioStatus: 'busy',
    ultravoxTermination: 'SIP_TERMINATION_REJECTED',
    dialStatus: 'CONGESTION',
    hangupCause: '21',
  },
};

/** How the human a person is transferred to answers: Dial()'s DIALSTATUS and Q.850 HANGUPCAUSE. */
export interface TransferProfile {
  dialStatus: 'ANSWER' | 'BUSY' | 'NOANSWER' | 'CHANUNAVAIL';
  hangupCause: string;
}

/** The ASK_AGENT scenarios by the transfer's end; every other one reaches the human. */
export const TRANSFER_RESULTS: Partial<Record<ScenarioName, TransferProfile>> = {
  human_agent_busy: { dialStatus: 'BUSY', hangupCause: '17' },
  human_agent_no_answer: { dialStatus: 'NOANSWER', hangupCause: '19' },
  human_agent_unreachable: { dialStatus: 'CHANUNAVAIL', hangupCause: '3' },
};

export const TRANSFER_ANSWERED: TransferProfile = { dialStatus: 'ANSWER', hangupCause: '16' };

/** The human leg's scripted talk time, in seconds. */
export const HUMAN_LEG_SECONDS = 42;

/** The seeded random mix: calls that reach a person dominate, as in a real campaign. */
const MIX: [ScenarioName, number][] = [
  ['human_yes', 4],
  ['human_no', 2],
  ['human_later', 2],
  ['human_dont_call', 1],
  ['human_agent', 1],
  ['voicemail_amd', 2],
  ['voicemail_agent', 1],
  ['busy', 2],
  ['no_answer', 2],
  ['invalid_number', 1],
  ['rejected', 1],
];

/** mulberry32: small, seedable, good enough for a scenario mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pickFromMix(random: () => number): ScenarioName {
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [name, weight] of MIX) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return 'human_yes';
}

export interface ScenarioChooser {
  choose(toNumber: string, variables: Record<string, string>): ScenarioName;
}

/**
 * The per-call choice: a `scenario` variable on the dial (the contact's spreadsheet column) wins,
 * then the configured rule, then the seeded mix, then `human_yes`.
 */
export function createScenarioChooser(
  rule: ScenarioRule | undefined,
  seed: number | undefined,
): ScenarioChooser {
  const random = seed === undefined ? undefined : seededRandom(seed);
  return {
    choose(toNumber, variables) {
      // An ARI originate carries a contact's columns as OUTDIAL_VAR_<name> channel variables.
      const requested = variables.scenario ?? variables.SCENARIO ?? variables.OUTDIAL_VAR_scenario;
      if (isScenarioName(requested)) return requested;
      if (typeof rule === 'function') return rule(toNumber, variables);
      if (rule !== undefined) return rule;
      if (random !== undefined) return pickFromMix(random);
      return 'human_yes';
    },
  };
}

/** Dial variables arrive as JSON values; scenarios and call ids are read as strings. */
export function stringVariables(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string') out[key] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[key] = String(v);
  }
  return out;
}
