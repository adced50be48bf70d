import { describe, expect, it } from 'vitest';
import {
  chooseLabel,
  classifyDtmf,
  classifyUtterance,
  normalizeText,
  parseFollowupMinutes,
} from '../../domain/classifier';
import type { Label, Language } from '../../domain/vocabulary';
import { LABELS } from '../../domain/vocabulary';

function expectLabels(cases: readonly (readonly [string, Label])[], language?: Language): void {
  for (const [text, label] of cases) {
    expect({ text, label: classifyUtterance(text, language) }).toEqual({ text, label });
  }
}

describe('classifyDtmf', () => {
  it('maps the seed 000 keys and nothing else', () => {
    expect(classifyDtmf('1')).toBe('YES');
    expect(classifyDtmf('2')).toBe('NO');
    expect(classifyDtmf('3')).toBe('LATER');
    expect(classifyDtmf('4')).toBe('ASK_AGENT');
    expect(classifyDtmf('9')).toBe('DONT_CALL');
    for (const other of ['0', '5', '6', '7', '8', '*', '#', '', '12', '99', 'a']) {
      expect({ other, label: classifyDtmf(other) }).toEqual({ other, label: 'UNKNOWN' });
    }
  });

  it('accepts a key followed by # and surrounding spaces', () => {
    expect(classifyDtmf(' 9# ')).toBe('DONT_CALL');
  });
});

describe('classifyUtterance: Turkish triggers of seed 000', () => {
  it('recognises every label', () => {
    expectLabels(
      [
        ['Evet', 'YES'],
        ['olur', 'YES'],
        ['Tamam.', 'YES'],
        ['tamamdır', 'YES'],
        ['Hayır', 'NO'],
        ['istemiyorum', 'NO'],
        ['Daha sonra', 'LATER'],
        ['şimdi değil', 'LATER'],
        ['Beni aramayın', 'DONT_CALL'],
        ['bir daha aramayınız', 'DONT_CALL'],
        ['temsilci lütfen', 'ASK_AGENT'],
        ['yetkiliyle görüşmek istiyorum', 'ASK_AGENT'],
        ['efendim?', 'UNKNOWN'],
        ['', 'UNKNOWN'],
      ],
      'tr',
    );
  });

  it('ignores case, dotted and dotless i, and missing diacritics', () => {
    expectLabels(
      [
        ['HAYIR', 'NO'],
        ['hayir', 'NO'],
        ['HAYİR', 'NO'],
        ['İSTEMİYORUM', 'NO'],
        ['Istemiyorum', 'NO'],
        ['ıstemıyorum', 'NO'],
        ['beni aramayin', 'DONT_CALL'],
        ['BENİ ARAMAYIN', 'DONT_CALL'],
        ['simdi degil', 'LATER'],
        ['ŞİMDİ DEĞİL', 'LATER'],
        ['EVET', 'YES'],
        ['YETKİLİ', 'ASK_AGENT'],
      ],
      'tr',
    );
    expect(normalizeText('İĞÜŞÖÇ ığüşöç I')).toBe('igusoc igusoc i');
  });

  it('matches whole words: "tamamen" is not "tamam", "olursa" is not "olur"', () => {
    expectLabels(
      [
        ['tamamen unuttum', 'UNKNOWN'],
        ['müsait olursa', 'UNKNOWN'],
        ['evetle hayır arası', 'NO'],
      ],
      'tr',
    );
  });

  it('reads common phrasings', () => {
    expectLabels(
      [
        ['tabii ki', 'YES'],
        ['sorun yok', 'YES'],
        ['gerek yok', 'NO'],
        ['maalesef gelemeyeceğim', 'NO'],
        ['şu an müsait değilim', 'LATER'],
        ['aranmak istemiyorum', 'DONT_CALL'],
        ['olur mu?', 'UNKNOWN'],
        ['yarın arayın', 'LATER'],
        ['yarın', 'LATER'],
        ['2 saat sonra', 'LATER'],
        ['yarın geleceğim', 'YES'],
      ],
      'tr',
    );
  });
});

describe('classifyUtterance: English', () => {
  it('recognises every label', () => {
    expectLabels(
      [
        ['Yes', 'YES'],
        ['sure', 'YES'],
        ['OK', 'YES'],
        ['No.', 'NO'],
        ['not interested', 'NO'],
        ['later', 'LATER'],
        ['not now', 'LATER'],
        ['call me back later', 'LATER'],
        ["Don't call me", 'DONT_CALL'],
        ['remove me from your list', 'DONT_CALL'],
        ['stop calling', 'DONT_CALL'],
        ['can I talk to an agent', 'ASK_AGENT'],
        ['representative', 'ASK_AGENT'],
        ['a human please', 'ASK_AGENT'],
        ['operator', 'ASK_AGENT'],
        ['pardon?', 'UNKNOWN'],
      ],
      'en',
    );
  });

  it('reads longest phrases first', () => {
    expectLabels(
      [
        ['no problem', 'YES'],
        ['no worries', 'YES'],
        ['no idea', 'UNKNOWN'],
        ['not sure', 'UNKNOWN'],
        ['I will', 'YES'],
        ["I won't", 'NO'],
        ['I will not', 'NO'],
        ['call me tomorrow', 'LATER'],
      ],
      'en',
    );
  });

  it('keeps "no" English-only: Turkish writes "no" for "numara"', () => {
    expect(classifyUtterance('takip no', 'tr')).toBe('UNKNOWN');
    expect(classifyUtterance('no', 'en')).toBe('NO');
    expect(classifyUtterance('no')).toBe('NO');
  });

  it('knows both languages when none is given, as callers mix them', () => {
    expect(classifyUtterance('tamam')).toBe('YES');
    expect(classifyUtterance('sure')).toBe('YES');
    expect(classifyUtterance('ok', 'tr')).toBe('YES');
  });
});

describe('classifyUtterance: mixed answers (the documented rule)', () => {
  it('DONT_CALL beats everything', () => {
    expectLabels([
      ['evet ama beni bir daha aramayın', 'DONT_CALL'],
      ['temsilci istemiyorum, beni aramayın', 'DONT_CALL'],
      ['yes, but stop calling me', 'DONT_CALL'],
    ]);
  });

  it('an explicit agent request beats an answer', () => {
    expectLabels([
      ['evet ama bir yetkiliyle görüşmek istiyorum', 'ASK_AGENT'],
      ['no, let me talk to a representative', 'ASK_AGENT'],
    ]);
  });

  it('the last clause that answers wins', () => {
    expectLabels([
      ['hayır, olur', 'YES'],
      ['olur, hayır', 'NO'],
      ['evet ama şimdi değil', 'LATER'],
      ['Evet. Şimdi değil.', 'LATER'],
      ['şimdi değil, ama evet', 'YES'],
      ['no... actually yes', 'YES'],
      ['yes but not now', 'LATER'],
      ['hayır, anlamadım', 'NO'],
    ]);
  });

  it('inside one clause LATER beats YES and NO', () => {
    expectLabels([
      ['hayır şimdi değil', 'LATER'],
      ['tamam daha sonra', 'LATER'],
      ['no not now', 'LATER'],
    ]);
  });

  it('YES and NO in one clause is UNKNOWN, so the flow re-asks', () => {
    expectLabels([
      ['hayır olur', 'UNKNOWN'],
      ['evet hayır', 'UNKNOWN'],
      ['yes no', 'UNKNOWN'],
    ]);
  });

  it('negated phrases are not their positive word', () => {
    expectLabels([
      ['tamam değil', 'NO'],
      ['not ok', 'NO'],
      ['şimdi olmaz', 'LATER'],
    ]);
  });
});

describe('classifyUtterance: off-topic questions go to an agent (seed 000 §5)', () => {
  it('order, price and cargo questions are ASK_AGENT', () => {
    expectLabels([
      ['siparişim nerede?', 'ASK_AGENT'],
      ['fiyatı ne kadar', 'ASK_AGENT'],
      ['kargom ne zaman gelir', 'ASK_AGENT'],
      ['where is my order', 'ASK_AGENT'],
      ['what is the price', 'ASK_AGENT'],
    ]);
  });

  it('cargo is on topic in the shipping flow', () => {
    expect(classifyUtterance('kargom ne zaman gelir', 'tr', 'SHIPPING_UPDATE')).toBe('UNKNOWN');
    expect(classifyUtterance('kargom ne zaman gelir', 'tr', 'BILLING_REMINDER')).toBe('ASK_AGENT');
    expect(classifyUtterance('siparişim nerede', 'tr', 'SHIPPING_UPDATE')).toBe('ASK_AGENT');
  });

  it('an answer beats an off-topic word', () => {
    expect(classifyUtterance('evet, siparişimi de soracaktım', 'tr')).toBe('YES');
  });
});

describe('parseFollowupMinutes', () => {
  it('reads simple Turkish and English times as minutes from now', () => {
    const cases: [string, number | null][] = [
      ['yarın arayın', 1440],
      ['yarından sonra', 2880],
      ['2 saat sonra', 120],
      ['iki saat sonra arayın', 120],
      ['on beş dakika sonra', 15],
      ['yarım saat sonra', 30],
      ['haftaya', 10080],
      ['3 gün sonra', 4320],
      ['tomorrow', 1440],
      ['in 2 hours', 120],
      ['in an hour', 60],
      ['in half an hour', 30],
      ['in twenty five minutes', 25],
      ['next week', 10080],
      ['daha sonra', null],
      ['later', null],
      ['bir daha aramayın', null],
    ];
    for (const [text, minutes] of cases) {
      expect({ text, minutes: parseFollowupMinutes(text) }).toEqual({ text, minutes });
    }
  });
});

describe('chooseLabel (LLM_LABEL_ONLY fallback)', () => {
  it('uses the model when it answered with a label', () => {
    expect(chooseLabel({ ok: true, label: 'LATER' }, 'UNKNOWN')).toBe('LATER');
    expect(chooseLabel({ ok: true, label: 'NO' }, 'YES')).toBe('NO');
  });

  it('falls back to keywords when the model failed, had no answer or returned garbage', () => {
    expect(chooseLabel({ ok: false }, 'YES')).toBe('YES');
    expect(chooseLabel({ ok: true, label: 'UNKNOWN' }, 'NO')).toBe('NO');
    expect(chooseLabel({ ok: true, label: 'MAYBE' as Label }, 'LATER')).toBe('LATER');
  });

  it('never lets the model override a keyword DONT_CALL', () => {
    for (const label of LABELS) {
      expect(chooseLabel({ ok: true, label }, 'DONT_CALL')).toBe('DONT_CALL');
    }
  });
});
