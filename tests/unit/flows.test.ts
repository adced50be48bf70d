import { describe, expect, it } from 'vitest';
import {
  FLOWS,
  MissingTemplateVariableError,
  knownVariables,
  missingVariables,
  renderLines,
  renderTemplate,
  requiredVariables,
} from '../../domain/flows';
import type { CallType } from '../../domain/vocabulary';
import { CALL_TYPES, LABELS, LANGUAGES } from '../../domain/vocabulary';

const FULL_ROWS: Record<CallType, Record<string, string>> = {
  BILLING_REMINDER: { name: 'Ayşe Yılmaz', amount: '1.250,00 TL', due_date: '15 Mart' },
  APPOINTMENT_REMINDER: {
    name: 'Ayşe Yılmaz',
    appointment_time: '12 Mart 14:30',
    location: 'Kadıköy şubesi',
  },
  SHIPPING_UPDATE: { name: 'Ayşe Yılmaz', tracking_number: 'TR123456', delivery_date: '14 Mart' },
};

describe('flow scripts', () => {
  it('every call type and language renders every line with a full row, leaving no placeholder', () => {
    for (const callType of CALL_TYPES) {
      for (const language of LANGUAGES) {
        const lines = renderLines(callType, language, FULL_ROWS[callType]);
        const all = [
          lines.opening,
          lines.reask,
          lines.transfer,
          ...LABELS.map((label) => lines.closing[label]),
        ];
        for (const line of all) {
          expect(line, `${callType}/${language}`).not.toMatch(/\{\{|\}\}/);
          expect(line.trim(), `${callType}/${language}`).not.toBe('');
        }
        expect(lines.opening).toContain('Ayşe Yılmaz');
      }
    }
  });

  it('opening says the row values and ends with the question', () => {
    const tr = renderLines('BILLING_REMINDER', 'tr', FULL_ROWS.BILLING_REMINDER);
    expect(tr.opening).toBe(
      'Merhaba Ayşe Yılmaz, ödeme hatırlatması için arıyorum. 1.250,00 TL tutarındaki faturanızın son ödeme tarihi 15 Mart. Ödemenizi bu tarihe kadar yapabilecek misiniz?',
    );
    const en = renderLines('SHIPPING_UPDATE', 'en', FULL_ROWS.SHIPPING_UPDATE);
    expect(en.opening).toContain('TR123456');
    expect(en.opening).toContain('Expected delivery is 14 Mart.');
  });

  it('re-ask prompts name the DTMF keys of seed 000', () => {
    for (const callType of CALL_TYPES) {
      for (const language of LANGUAGES) {
        const { reask } = renderLines(callType, language, FULL_ROWS[callType]);
        for (const key of ['1', '2', '3', '4']) expect(reask, `${callType}/${language}`).toContain(key);
      }
    }
  });

  it('optional variables drop their sentence when absent', () => {
    const row = { name: 'Ali', appointment_time: 'yarın 10:00' };
    const tr = renderLines('APPOINTMENT_REMINDER', 'tr', row);
    expect(tr.opening).toBe(
      'Merhaba Ali, yarın 10:00 tarihindeki randevunuzu hatırlatmak için arıyorum. Randevunuza gelebilecek misiniz?',
    );
    const withLocation = renderLines('APPOINTMENT_REMINDER', 'en', { ...row, location: 'Main Street 5' });
    expect(withLocation.opening).toContain('The appointment is at Main Street 5.');
    const shipping = renderLines('SHIPPING_UPDATE', 'tr', {
      name: 'Ali',
      tracking_number: 'X1',
      delivery_date: ' ',
    });
    expect(shipping.opening).not.toContain('Tahmini');
  });
});

describe('requiredVariables', () => {
  it('is read from the templates: optional section variables are not required', () => {
    expect(requiredVariables('BILLING_REMINDER').sort()).toEqual(['amount', 'due_date', 'name']);
    expect(requiredVariables('APPOINTMENT_REMINDER').sort()).toEqual(['appointment_time', 'name']);
    expect(requiredVariables('SHIPPING_UPDATE').sort()).toEqual(['name', 'tracking_number']);
    expect(knownVariables('APPOINTMENT_REMINDER').sort()).toEqual(['appointment_time', 'location', 'name']);
    expect(knownVariables('SHIPPING_UPDATE').sort()).toEqual(['delivery_date', 'name', 'tracking_number']);
  });

  it('follows a template change without a hand-kept list', () => {
    const original = FLOWS.BILLING_REMINDER.lines.en.followup;
    try {
      FLOWS.BILLING_REMINDER.lines.en.followup = 'Can you pay {{amount}} via {{channel}}?';
      expect(requiredVariables('BILLING_REMINDER')).toContain('channel');
    } finally {
      FLOWS.BILLING_REMINDER.lines.en.followup = original;
    }
    expect(requiredVariables('BILLING_REMINDER')).not.toContain('channel');
  });
});

describe('missingVariables (campaign creation)', () => {
  it('is empty for a full row and names every gap, blank cells included', () => {
    for (const callType of CALL_TYPES) {
      for (const language of LANGUAGES) {
        expect(missingVariables(callType, language, FULL_ROWS[callType])).toEqual([]);
      }
    }
    expect(missingVariables('BILLING_REMINDER', 'tr', { name: 'Ali', amount: '  ' }).sort()).toEqual([
      'amount',
      'due_date',
    ]);
    expect(missingVariables('APPOINTMENT_REMINDER', 'en', { name: 'Ali', appointment_time: 'x' })).toEqual(
      [],
    );
  });

  it('renderLines refuses a row with gaps, naming them all at once', () => {
    let caught: unknown;
    try {
      renderLines('SHIPPING_UPDATE', 'en', { name: 'Ali' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingTemplateVariableError);
    expect((caught as MissingTemplateVariableError).name).toBe('MissingTemplateVariableError');
    expect((caught as MissingTemplateVariableError).missing).toEqual(['tracking_number']);
  });
});

describe('renderTemplate', () => {
  it('substitutes, trims values and renders sections only with a value', () => {
    expect(renderTemplate('Hi {{name}}.{{#x}} X is {{x}}.{{/x}}', { name: ' Ali ' })).toBe('Hi Ali.');
    expect(renderTemplate('Hi {{name}}.{{#x}} X is {{x}}.{{/x}}', { name: 'Ali', x: '1' })).toBe(
      'Hi Ali. X is 1.',
    );
  });

  it('throws a named error listing every missing variable once', () => {
    expect(() => renderTemplate('{{a}} {{b}} {{a}}', { b: '' })).toThrowError(
      new MissingTemplateVariableError(['a', 'b']),
    );
  });
});
