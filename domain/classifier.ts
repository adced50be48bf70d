import { FLOWS } from './flows';
import type { CallType, Label, Language } from './vocabulary';
import { LABELS } from './vocabulary';

/**
 * KEYWORD_ONLY classifier of seed 000 §5, deterministic so it can run inside workflow code.
 *
 * Rule for answers that say several things (tested in tests/unit/classifier.test.ts):
 * 1. A do-not-call request anywhere wins ("evet ama beni bir daha aramayın" is DONT_CALL): honouring
 *    it late costs a complaint, honouring it early costs nothing.
 * 2. An explicit request for a person anywhere is ASK_AGENT.
 * 3. Otherwise the utterance is cut into clauses (punctuation and "ama", "fakat", "but", ...) and the
 *    LAST clause that answers decides, because people correct themselves: "hayır, olur" is YES,
 *    "evet ama şimdi değil" is LATER. Inside one clause LATER beats YES and NO ("hayır, şimdi değil"
 *    means later), and YES with NO ("hayır olur" without a pause) is UNKNOWN, so the flow re-asks.
 * 4. Otherwise a question off the flow's topic (order, price, cargo outside the shipping flow) is
 *    ASK_AGENT, per seed 000 §5.
 * Phrases match whole words, longest first, so "tamamen" ("completely") is not "tamam", "no problem"
 * is YES and "not now" is LATER.
 */

export type ClassifierMode = 'KEYWORD_ONLY' | 'LLM_LABEL_ONLY';

/** Result of an LLM labelling call, made by an activity; a failure is a value, not an exception. */
export type LabelModelResult = { ok: true; label: Label } | { ok: false };

/** Implemented in activities (LLM_LABEL_ONLY mode); declared here so the policy below can name it. */
export interface LabelModel {
  /** `question` is the line the person answered, when there was one. */
  label(text: string, language: Language, question?: string): Promise<LabelModelResult>;
}

/**
 * Fallback policy for LLM_LABEL_ONLY: the model's label is used when it is a real label other than
 * UNKNOWN; keywords decide when it failed or had no answer. A keyword DONT_CALL is never overridden:
 * a model must not talk the system out of a do-not-call request.
 */
export function chooseLabel(llmResult: LabelModelResult, keywordLabel: Label): Label {
  if (keywordLabel === 'DONT_CALL') return keywordLabel;
  if (!llmResult.ok) return keywordLabel;
  // The label crossed a process boundary as JSON: check it is one of ours before trusting it.
  if (!(LABELS as readonly string[]).includes(llmResult.label)) return keywordLabel;
  return llmResult.label === 'UNKNOWN' ? keywordLabel : llmResult.label;
}

const DTMF_LABELS: Readonly<Record<string, Label>> = {
  '1': 'YES',
  '2': 'NO',
  '3': 'LATER',
  '4': 'ASK_AGENT',
  '9': 'DONT_CALL',
};

/** One key, optionally followed by '#'; anything else (several keys, '*', '0') is UNKNOWN. */
export function classifyDtmf(digits: string): Label {
  return DTMF_LABELS[digits.trim().replace(/#$/, '')] ?? 'UNKNOWN';
}

/**
 * Lowercase without diacritics, so "HAYIR", "Hayır" and "hayir" compare equal. İ and I are mapped
 * before lowercasing: JavaScript lowercases İ to "i̇" (two code points), and a Turkish I is ı, which
 * folds to i anyway.
 */
export function normalizeText(text: string): string {
  return text
    .replace(/[İI]/g, 'i')
    .toLowerCase()
    .replace(/ı/g, 'i')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’‘`´]/g, '');
}

type Cue = 'YES' | 'NO' | 'LATER' | 'DONT_CALL' | 'ASK_AGENT' | 'OFF_TOPIC' | 'CALL' | 'TIME' | 'NEUTRAL';

/** Words; a trailing '*' accepts any suffix (Turkish: "temsilci*" matches "temsilciye"). */
type Phrase = readonly string[];

interface PhraseSet {
  cue: Cue;
  phrases: readonly Phrase[];
}

function phrases(cue: Cue, ...texts: string[]): PhraseSet {
  return { cue, phrases: texts.map((text) => text.split(' ')) };
}

const TURKISH: readonly PhraseSet[] = [
  phrases(
    'DONT_CALL',
    'beni arama',
    'aramayin*',
    'bir daha arama*',
    'aranmak istemiyorum',
    'aramasinlar',
    'numarami sil*',
    'listeden cikar*',
    'rahatsiz etmeyin*',
  ),
  phrases(
    'ASK_AGENT',
    'temsilci*',
    'yetkili*',
    'operator*',
    'musteri hizmetleri*',
    'canli destek',
    'gercek bir kisi*',
    'insanla',
    'biriyle gorus*',
  ),
  phrases(
    'LATER',
    'daha sonra',
    'sonra ara*',
    'sonra konus*',
    'sonra gorus*',
    'biraz sonra',
    'simdi degil',
    'su an degil',
    'simdi olmaz',
    'su an olmaz',
    'musait degil*',
    'mesgul*',
    'tekrar ara*',
    'geri ara*',
    'baska zaman',
    'baska bir zaman',
  ),
  phrases(
    'NO',
    'hayir',
    'istemiyorum',
    'istemiyoruz',
    'istemem',
    'ilgilenmiyorum',
    'olmaz',
    'gerek yok',
    'kimse yok',
    'tamam degil',
    'uygun degil',
    'gelemem',
    'gelemeyecegim',
    'odeyemem',
    'odeyemeyecegim',
    'yapamam',
    'yapamayacagim',
    'olmayacagim',
  ),
  phrases(
    'YES',
    'evet',
    'olur',
    'tamam',
    'tamamdir',
    'tabii',
    'tabi',
    'tabiki',
    'elbette',
    'kesinlikle',
    'peki',
    'aynen',
    'sorun yok',
    'problem yok',
    'gelecegim',
    'gelirim',
    'odeyecegim',
    'oderim',
    'olacagim',
  ),
  // Questions that contain a trigger word but do not answer.
  phrases('NEUTRAL', 'olur mu', 'tamam mi'),
  phrases('OFF_TOPIC', 'siparis*', 'kargo*', 'fiyat*', 'kampanya*', 'indirim*', 'iade*'),
  phrases('CALL', 'arayin*', 'arar*', 'arayabilir*', 'arasaniz*', 'ara'),
];

const ENGLISH: readonly PhraseSet[] = [
  phrases(
    'DONT_CALL',
    'dont call',
    'do not call',
    'dont ever call',
    'never call',
    'stop calling',
    'remove me',
    'remove my number',
    'take me off',
    'delete my number',
    'unsubscribe',
    'dont contact',
    'do not contact',
    'dont want to be called',
    'do not want to be called',
  ),
  phrases(
    'ASK_AGENT',
    'agent',
    'agents',
    'representative*',
    'human',
    'real person',
    'live person',
    'talk to a person',
    'speak to a person',
    'talk to someone',
    'speak to someone',
    'operator*',
    'customer service',
    'manager',
  ),
  phrases(
    'LATER',
    'later',
    'not now',
    'not right now',
    'call me back',
    'call back',
    'another time',
    'some other time',
    'busy',
    'bad time',
  ),
  phrases(
    'NO',
    'no',
    'nope',
    'nah',
    'not interested',
    'no thanks',
    'no thank you',
    'dont want',
    'do not want',
    'not really',
    'not ok',
    'not okay',
    'i wont',
    'i will not',
    'i cant',
    'i cannot',
    'i can not',
  ),
  phrases(
    'YES',
    'yeah',
    'yep',
    'yup',
    'sure',
    'of course',
    'certainly',
    'absolutely',
    'definitely',
    'fine',
    'alright',
    'all right',
    'sounds good',
    'no problem',
    'no worries',
    'why not',
    'i will',
    'will do',
    'correct',
  ),
  phrases('NEUTRAL', 'not sure', 'no idea'),
  phrases(
    'OFF_TOPIC',
    'order',
    'orders',
    'ordered',
    'price*',
    'pricing',
    'refund*',
    'discount*',
    'cargo',
    'shipping',
    'delivery',
    'parcel*',
    'package*',
  ),
  phrases('CALL', 'call', 'ring'),
];

/** Words both kinds of caller use; "no" is English-only because Turkish writes "no" for "numara". */
const SHARED: readonly PhraseSet[] = [phrases('YES', 'yes', 'ok', 'okay', 'okey')];

const FILLERS = new Set(['lutfen', 'belki', 'please', 'maybe', 'perhaps', 'then', 'o', 'zaman']);

const CLAUSE_BREAKS = new Set(['ama', 'fakat', 'ancak', 'lakin', 'but', 'however', 'though']);

function phraseSetsFor(language: Language | undefined): PhraseSet[] {
  if (language === 'tr') return [...SHARED, ...TURKISH];
  if (language === 'en') return [...SHARED, ...ENGLISH];
  return [...SHARED, ...TURKISH, ...ENGLISH];
}

function wordMatches(pattern: string, word: string): boolean {
  return pattern.endsWith('*') ? word.startsWith(pattern.slice(0, -1)) : word === pattern;
}

function phraseMatchesAt(phrase: Phrase, words: readonly string[], at: number): boolean {
  return phrase.every((pattern, offset) => {
    const word = words[at + offset];
    return word !== undefined && wordMatches(pattern, word);
  });
}

// prettier-ignore
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  bir: 1, iki: 2, uc: 3, dort: 4, bes: 5, alti: 6, yedi: 7, sekiz: 8, dokuz: 9, on: 10,
  yirmi: 20, otuz: 30, kirk: 40, elli: 50,
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, forty: 40, fifty: 50,
};

// prettier-ignore
const UNIT_MINUTES: Readonly<Record<string, number>> = {
  dakika: 1, dk: 1, saat: 60, gun: 1440, hafta: 10080,
  minute: 1, minutes: 1, min: 1, mins: 1, hour: 60, hours: 60, hr: 60, hrs: 60,
  day: 1440, days: 1440, week: 10080, weeks: 10080,
};

/** A number of one or two words ("2", "iki", "on beş", "twenty five"): [value, words used]. */
function numberAt(words: readonly string[], at: number): [number, number] | null {
  const word = words[at];
  if (word === undefined) return null;
  if (/^\d{1,3}$/.test(word)) return [Number(word), 1];
  const value = NUMBER_WORDS[word];
  if (value === undefined) return null;
  const next = NUMBER_WORDS[words[at + 1] ?? ''];
  if (value >= 10 && value % 10 === 0 && next !== undefined && next < 10) return [value + next, 2];
  return [value, 1];
}

const FIXED_TIMES: readonly (readonly [Phrase, number])[] = (
  [
    ['yarindan sonra', 2880],
    ['obur gun', 2880],
    ['day after tomorrow', 2880],
    ['yarim saat sonra', 30],
    ['in half an hour', 30],
    ['in a couple of hours', 120],
    ['yarin', 1440],
    ['tomorrow', 1440],
    ['haftaya', 10080],
    ['gelecek hafta', 10080],
    ['onumuzdeki hafta', 10080],
    ['next week', 10080],
  ] as const
).map(([text, minutes]) => [text.split(' '), minutes] as const);

/** A time the person named ("yarın", "2 saat sonra", "in an hour"): [minutes from now, words used]. */
function timeAt(words: readonly string[], at: number): [number, number] | null {
  for (const [phrase, minutes] of FIXED_TIMES) {
    if (phraseMatchesAt(phrase, words, at)) return [minutes, phrase.length];
  }
  const english = words[at] === 'in';
  const number = numberAt(words, english ? at + 1 : at);
  if (number === null) return null;
  const unitAt = (english ? at + 1 : at) + number[1];
  const unit = UNIT_MINUTES[words[unitAt] ?? ''];
  if (unit === undefined) return null;
  if (english) return [number[0] * unit, unitAt + 1 - at];
  const after = words[unitAt + 1];
  if (after === 'sonra' || after === 'later') return [number[0] * unit, unitAt + 2 - at];
  return null;
}

interface Found {
  cue: Cue;
  minutes?: number;
}

interface Clause {
  found: Found[];
  /** Words no phrase or time claimed, fillers excluded. */
  leftover: number;
}

function splitClauses(normalized: string): string[][] {
  const clauses: string[][] = [];
  for (const part of normalized.split(/[.,;:!?\n…]+|\s[-–—]\s/)) {
    let current: string[] = [];
    for (const word of part.split(/[^a-z0-9]+/).filter((w) => w !== '')) {
      if (CLAUSE_BREAKS.has(word)) {
        clauses.push(current);
        current = [];
      } else {
        current.push(word);
      }
    }
    clauses.push(current);
  }
  return clauses.filter((clause) => clause.length > 0);
}

function scanClause(
  words: readonly string[],
  sets: readonly PhraseSet[],
  topicWords: readonly string[],
): Clause {
  const found: Found[] = [];
  let leftover = 0;
  let at = 0;
  while (at < words.length) {
    const time = timeAt(words, at);
    if (time !== null) {
      found.push({ cue: 'TIME', minutes: time[0] });
      at += time[1];
      continue;
    }
    let best: { cue: Cue; length: number } | null = null;
    for (const set of sets) {
      for (const phrase of set.phrases) {
        if ((best === null || phrase.length > best.length) && phraseMatchesAt(phrase, words, at)) {
          best = { cue: set.cue, length: phrase.length };
        }
      }
    }
    const word = words[at] ?? '';
    if (
      best !== null &&
      !(best.cue === 'OFF_TOPIC' && topicWords.some((topic) => wordMatches(topic, word)))
    ) {
      found.push({ cue: best.cue });
      at += best.length;
      continue;
    }
    if (!FILLERS.has(word)) leftover += 1;
    at += 1;
  }
  return { found, leftover };
}

function scan(text: string, language: Language | undefined, callType: CallType | undefined): Clause[] {
  const sets = phraseSetsFor(language);
  const topicWords = callType === undefined ? [] : FLOWS[callType].topicWords;
  return splitClauses(normalizeText(text)).map((words) => scanClause(words, sets, topicWords));
}

/** What one clause answers, or null when it does not answer the question. */
function clauseAnswer({ found, leftover }: Clause): Label | null {
  const has = (cue: Cue): boolean => found.some((item) => item.cue === cue);
  const onlyTime = has('TIME') && leftover === 0 && found.every((item) => item.cue === 'TIME');
  if (has('LATER') || (has('TIME') && has('CALL')) || onlyTime) return 'LATER';
  if (has('YES') && has('NO')) return 'UNKNOWN';
  if (has('YES')) return 'YES';
  if (has('NO')) return 'NO';
  return null;
}

export function classifyUtterance(text: string, language?: Language, callType?: CallType): Label {
  const clauses = scan(text, language, callType);
  const anywhere = (cue: Cue): boolean => clauses.some((clause) => clause.found.some((f) => f.cue === cue));
  if (anywhere('DONT_CALL')) return 'DONT_CALL';
  if (anywhere('ASK_AGENT')) return 'ASK_AGENT';
  for (let index = clauses.length - 1; index >= 0; index -= 1) {
    const clause = clauses[index];
    const answer = clause === undefined ? null : clauseAnswer(clause);
    if (answer !== null) return answer;
  }
  return anywhere('OFF_TOPIC') ? 'ASK_AGENT' : 'UNKNOWN';
}

/**
 * Minutes from now to the follow-up time the person named ("yarın" 1440, "2 saat sonra" 120, "in 30
 * minutes" 30), the last one if several; null when none was named and the campaign default applies.
 */
export function parseFollowupMinutes(text: string, language?: Language): number | null {
  let minutes: number | null = null;
  for (const clause of scan(text, language, undefined)) {
    for (const item of clause.found) if (item.minutes !== undefined) minutes = item.minutes;
  }
  return minutes;
}
