import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TRANSFER_STAGES, type CallFact } from '../../domain/call-facts';
import { reduceCall } from '../../domain/outcome-reducer';
import { transferStoriesArb, type TransferStory } from './transfer-stories';
import {
  DIALSTATUS_TO_SIP,
  ULTRAVOX_END_REASON_MAP,
  ULTRAVOX_TERMINATION_TO_SIP,
} from '../../domain/sip-mappings';
import { AMD_STATUSES, FINAL_CALL_STATUSES, LABELS, PROVIDERS } from '../../domain/vocabulary';

/** Fact arrangements (orders, with or without duplicates) reduced and compared, reported at the end. */
const checked = { exhaustive: 0, shuffled: 0, amdRace: 0 };

afterAll(() => {
  const total = checked.exhaustive + checked.shuffled + checked.amdRace;
  console.log(
    `outcome-reducer properties: ${total} orderings checked ` +
      `(${checked.exhaustive} exhaustive permutations, ${checked.shuffled} shuffles with duplicates, ` +
      `${checked.amdRace} AMD-race orderings)`,
  );
});

type Unkeyed<T> = T extends unknown ? Omit<T, 'key' | 'at'> : never;
type Draft = Unkeyed<CallFact>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** Few distinct instants (so ties happen), some written with an offset for the same instant. */
const atArb = fc
  .tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('Z', '.000Z', '+03:00'))
  .map(([s, form]) =>
    form === '+03:00' ? `2025-03-01T12:00:${pad(s)}+03:00` : `2025-03-01T09:00:${pad(s)}${form}`,
  );

const oddText = fc.constantFrom('', 'constructor', '__proto__', 'toString', 'SOMETHING_NEW');
const cause = fc.constantFrom('MAXWORDS-6-5', 'TOOLONG-3500', 'HUMAN-1-3500', 'INITIALSILENCE-2500', '');
const provider = fc.constantFrom(...PROVIDERS);
const transcript = fc.array(
  fc.record(
    {
      role: fc.constantFrom('agent' as const, 'user' as const),
      message: fc.constantFrom('Merhaba', 'Evet', 'Hayır', 'Sonra arayın'),
      timeInCallSecs: fc.integer({ min: 0, max: 120 }),
    },
    { requiredKeys: ['role', 'message'] },
  ),
  { maxLength: 3 },
);

const sipTermination: fc.Arbitrary<Draft> = fc.oneof(
  fc.record({
    kind: fc.constant('sip_termination' as const),
    terminationReason: fc.oneof(fc.constantFrom(...Object.keys(ULTRAVOX_TERMINATION_TO_SIP)), oddText),
  }),
  fc.record(
    {
      kind: fc.constant('sip_termination' as const),
      dialStatus: fc.oneof(fc.constantFrom(...Object.keys(DIALSTATUS_TO_SIP)), oddText),
      cause: fc.constantFrom('', '17', '21', '34'),
    },
    { requiredKeys: ['kind', 'dialStatus'] },
  ),
  fc.record(
    {
      kind: fc.constant('sip_termination' as const),
      sipCode: fc.constantFrom(0, 180, 200, 404, 480, 486, 487, 502, 503, 603),
      cause: fc.constantFrom('Bad Gateway', ''),
    },
    { requiredKeys: ['kind', 'sipCode'] },
  ),
);

/** Every kind of fact with realistic values; the refusals before a dial are rarer, as in life. */
const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('dial_accepted' as const),
      provider,
      providerCallId: fc.constantFrom('uv-1', 'conv-1', 'ch-1'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dial_rejected' as const),
      reason: fc.constantFrom('422 invalid number', 'quota'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dial_unknown' as const),
      reason: fc.constantFrom('no call found', 'timeout'),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ringing' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answered' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record(
      { kind: fc.constant('amd' as const), status: fc.constantFrom(...AMD_STATUSES), cause },
      { requiredKeys: ['kind', 'status'] },
    ),
  },
  { weight: 4, arbitrary: sipTermination },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('initiation_failure' as const),
        failureReason: fc.constantFrom('busy' as const, 'no-answer' as const, 'unknown' as const),
        sipCode: fc.constantFrom(0, 200, 404, 480, 486, 503),
      },
      { requiredKeys: ['kind', 'failureReason'] },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        kind: fc.constant('ended' as const),
        provider,
        endReason: fc.oneof(
          fc.constantFrom(...Object.keys(ULTRAVOX_END_REASON_MAP), 'Client disconnected: 1000'),
          oddText,
        ),
        voicemailDetected: fc.boolean(),
        durationSeconds: fc.integer({ min: 0, max: 600 }),
        startedAt: atArb,
      },
      { requiredKeys: ['kind', 'provider'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      {
        kind: fc.constant('post_call_data' as const),
        durationSeconds: fc.integer({ min: 0, max: 600 }),
        cost: fc.constantFrom(0, 0.05, 0.12, 1.5),
        transcript,
        summary: fc.constantFrom('ok', 'asked for a callback'),
      },
      { requiredKeys: ['kind'] },
    ),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('label' as const), label: fc.constantFrom(...LABELS) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('transferred' as const), to: fc.constant('+905551112233') }),
  },
  { weight: 3, arbitrary: transferArb() },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('callback_scheduled' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('hangup_requested' as const), by: fc.constant('operator') }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('dnc_blocked' as const),
      reason: fc.constantFrom('listed', 'dnc list unavailable'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancelled' as const),
      reason: fc.constant('campaign cancelled'),
    }),
  },
);

/** One report of a transfer's progress, as any provider may send it. */
function transferArb() {
  return fc.record(
    {
      kind: fc.constant('transfer' as const),
      stage: fc.constantFrom(...TRANSFER_STAGES),
      to: fc.constant('+905551112233'),
      sipCode: fc.constantFrom(200, 480, 486, 503),
      cause: fc.constantFrom('16', '17', '19', '34'),
      humanSeconds: fc.integer({ min: 0, max: 600 }),
    },
    { requiredKeys: ['kind', 'stage', 'to'] },
  );
}

/** A set of facts: each with its own key. */
function factsArb(maxLength: number): fc.Arbitrary<CallFact[]> {
  return fc
    .array(fc.tuple(draftArb, atArb), { maxLength })
    .map((drafts) => drafts.map(([draft, at], i) => ({ ...draft, at, key: `${draft.kind}#${i}` })));
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

/** Reorders by the given random ranks and re-delivers the facts the indices pick. */
function arrange(
  facts: readonly CallFact[],
  ranks: readonly number[],
  repeats: readonly number[],
): CallFact[] {
  const delivered = [...facts, ...(facts.length === 0 ? [] : repeats.map((r) => facts[r % facts.length]!))];
  return delivered
    .map((fact, i) => ({ fact, rank: ranks[i % Math.max(ranks.length, 1)] ?? 0, i }))
    .sort((a, b) => a.rank - b.rank || b.i - a.i)
    .map(({ fact }) => fact);
}

describe('reduceCall is a function of the set of facts', () => {
  it('every permutation of up to 6 facts gives a deep-equal result (numRuns 400)', () => {
    fc.assert(
      fc.property(factsArb(6), (facts) => {
        const expected = reduceCall(facts);
        for (const order of permutations(facts)) {
          expect(reduceCall(order)).toStrictEqual(expected);
          checked.exhaustive += 1;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('random shuffles with random re-deliveries of up to 16 facts give a deep-equal result (numRuns 2000)', () => {
    const arrangement = fc.tuple(
      fc.array(fc.nat(), { maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 10 }),
    );
    fc.assert(
      fc.property(
        factsArb(16),
        fc.array(arrangement, { minLength: 1, maxLength: 8 }),
        (facts, arrangements) => {
          const expected = reduceCall(facts);
          for (const [ranks, repeats] of arrangements) {
            expect(reduceCall(arrange(facts, ranks, repeats))).toStrictEqual(expected);
            checked.shuffled += 1;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('final exactly when the status is a final one; outcome and end time only then; adding facts never un-finals', () => {
    fc.assert(
      fc.property(factsArb(12), factsArb(4), (facts, more) => {
        const r = reduceCall(facts);
        expect(r.final).toBe(FINAL_CALL_STATUSES.includes(r.status));
        expect(r.outcome === null).toBe(!r.final);
        expect(r.endedAt === null).toBe(!r.final);
        const extra = more.map((f) => ({ ...f, key: `more-${f.key}` }));
        if (r.final) expect(reduceCall([...facts, ...extra]).final).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('an opt-out is never a success, and opted_out always carries the DONT_CALL label', () => {
    fc.assert(
      fc.property(factsArb(12), (facts) => {
        const r = reduceCall(facts);
        if (r.label === 'DONT_CALL') expect(r.outcome).not.toBe('success');
        if (r.outcome === 'opted_out') expect(r).toMatchObject({ status: 'completed', label: 'DONT_CALL' });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the AMD MACHINE override is never lost (seed 001 A10 §4)', () => {
  const noRefusal = factsArb(10).map((facts) =>
    facts.filter((f) => f.kind !== 'dnc_blocked' && f.kind !== 'cancelled' && f.kind !== 'dial_rejected'),
  );
  const machine = fc.record(
    {
      kind: fc.constant('amd' as const),
      status: fc.constantFrom('MACHINE' as const, 'NOTSURE' as const),
      cause,
    },
    { requiredKeys: ['kind', 'status'] },
  );
  const endWebhook = fc.record({
    kind: fc.constant('ended' as const),
    provider,
    endReason: fc.constantFrom(...Object.keys(ULTRAVOX_END_REASON_MAP)),
  });

  it('whether AMD or the end webhook happens first, and whichever arrives first (numRuns 2000)', () => {
    fc.assert(
      fc.property(
        noRefusal,
        machine,
        endWebhook,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (facts, amdDraft, endDraft, amdSecond, endSecond, ranks) => {
          const amd = {
            ...amdDraft,
            key: 'amd-webhook',
            at: `2025-03-01T09:00:${pad(amdSecond)}Z`,
          } as CallFact;
          const end = {
            ...endDraft,
            key: 'end-webhook',
            at: `2025-03-01T09:00:${pad(endSecond)}Z`,
          } as CallFact;
          const deliveries = [
            [...facts, amd, end],
            [...facts, end, amd],
            [amd, ...facts, end],
            [end, ...facts, amd],
            arrange([...facts, amd, end], ranks, []),
          ];
          for (const delivered of deliveries) {
            const r = reduceCall(delivered);
            expect(r).toMatchObject({ status: 'completed', outcome: 'voicemail', final: true });
            expect(['MACHINE', 'NOTSURE']).toContain(r.amdStatus);
            expect(r.hangupCause).toMatch(/^AMD:/);
            checked.amdRace += 1;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('a transfer to a human (issue 24)', () => {
  const answeredCall = [
    {
      kind: 'dial_accepted',
      key: 'dial',
      at: '2026-12-07T10:00:00Z',
      provider: 'asterisk',
      providerCallId: 'c',
    },
    { kind: 'label', key: 'label', at: '2026-12-07T10:00:20Z', label: 'ASK_AGENT' },
    { kind: 'ended', key: 'ended', at: '2026-12-07T10:03:00Z', provider: 'asterisk' },
  ] satisfies CallFact[];
  const reportsArb = fc
    .array(fc.tuple(transferArb(), atArb), { minLength: 1, maxLength: 4 })
    .map((drafts) => drafts.map(([draft, at], i): CallFact => ({ ...draft, at, key: `transfer#${i}` })));

  it('every order of its reports gives one outcome: transferred once answered, the callback once given up (numRuns 200)', () => {
    fc.assert(
      fc.property(reportsArb, (reports) => {
        const results = permutations(reports).flatMap((order) => [
          reduceCall([...answeredCall, ...order]),
          reduceCall([...order, ...answeredCall].reverse()),
        ]);
        for (const result of results) expect(result).toEqual(results[0]);
        const stages = reports.map((f) => (f.kind === 'transfer' ? f.stage : 'requested'));
        const r = results[0]!;
        if (stages.includes('answered')) {
          expect(r).toMatchObject({ status: 'transferred', outcome: 'transferred' });
          expect(r.transfer?.stage).toBe('answered');
        } else if (
          stages.some((s) => s === 'busy' || s === 'no_answer' || s === 'failed' || s === 'refused')
        ) {
          expect(r).toMatchObject({ status: 'completed', outcome: 'callback_scheduled' });
        } else {
          expect(r.outcome).toBe('success');
        }
        checked.exhaustive += results.length;
      }),
      { numRuns: 200 },
    );
  });
});

describe("every provider's transfer, as its own webhooks and mappings report it (issue 24 item 2)", () => {
  const deliveriesArb = fc.array(
    fc.tuple(fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 })),
    {
      minLength: 1,
      maxLength: 6,
    },
  );

  it.each(PROVIDERS)(
    '%s: every order, with re-deliveries, gives one outcome, transferred only once the human answered (numRuns 100)',
    (provider) => {
      fc.assert(
        fc.property(transferStoriesArb(provider), deliveriesArb, (story: TransferStory, deliveries) => {
          const expected = reduceCall(story.facts);
          const orders = [
            ...(story.facts.length <= 6 ? permutations(story.facts) : []),
            ...deliveries.map(([ranks, repeats]) => arrange(story.facts, ranks, repeats)),
          ];
          for (const order of orders) expect(reduceCall(order)).toStrictEqual(expected);
          checked.shuffled += orders.length;
          expect(expected.final).toBe(true);
          if (story.humanAnswered) {
            expect(expected).toMatchObject({ status: 'transferred', outcome: 'transferred' });
            expect(expected.transfer).toMatchObject({ stage: 'answered', humanSeconds: story.humanSeconds });
          } else if (story.gaveUp) {
            expect(expected).toMatchObject({ status: 'completed', outcome: 'callback_scheduled' });
            expect(['busy', 'no_answer', 'failed', 'refused']).toContain(expected.transfer?.stage);
          } else {
            expect(expected.outcome).not.toBe('transferred');
            expect(['requested', 'ringing']).toContain(expected.transfer?.stage);
          }
        }),
        { numRuns: 100 },
      );
    },
  );
});
