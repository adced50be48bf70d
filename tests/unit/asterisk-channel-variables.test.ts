import { describe, expect, it } from 'vitest';
import type { AriClient } from '../../activities/providers/asterisk/ari-client';
import { AsteriskProvider } from '../../activities/providers/asterisk/provider';
import { parseCampaignConfig } from '../../api/campaigns/campaign-config';
import { ProblemError } from '../../api/common/problem';

/** An ARI client that records the originate it is asked for and answers 200. */
function recordingAri() {
  const originates: { params: Record<string, string>; variables: Record<string, string> }[] = [];
  const ari = {
    originate: (params: Record<string, string>, variables: Record<string, string>) => {
      originates.push({ params, variables });
      return Promise.resolve({ status: 200, text: '{}', json: {} });
    },
  } as unknown as AriClient;
  return { ari, originates };
}

describe('Asterisk channel variables from a contact row', () => {
  it('prefixes safe names and drops names a dialplan would read as functions or its own variables', async () => {
    const { ari, originates } = recordingAri();
    await new AsteriskProvider(ari, { trunk: 'trunk' }).placeCall({
      callId: 'c1',
      toNumber: '+905321234567',
      variables: {
        amount: '120 TL',
        due_date: '2026-12-01',
        'CALLERID(num)': '+15550000000',
        AUDIOSOCKET_ADDR: '203.0.113.9:9092',
        SIP_TRUNK: 'attacker',
        _VOICEAI_UUID: 'someone-else',
        ['x'.repeat(65)]: 'too long',
      },
      firstMessage: 'Merhaba',
      language: 'tr',
      ringingTimeoutSeconds: 30,
    });
    const [{ variables }] = originates as [(typeof originates)[number]];
    expect(variables).toEqual({
      OUTDIAL_VAR_amount: '120 TL',
      OUTDIAL_VAR_due_date: '2026-12-01',
      _VOICEAI_UUID: 'c1',
      _SIP_TRUNK: 'trunk',
      FIRST_MESSAGE: 'Merhaba',
      LANGUAGE: 'tr',
    });
  });
});

describe('script variable names in a campaign config', () => {
  const config = (variables: Record<string, string>) => ({
    name: 'x',
    callType: 'BILLING_REMINDER',
    columnMapping: { phone: 'telefon', variables },
  });

  it('refuses a name a dialplan could read as a function, naming the field', () => {
    let refused: unknown;
    try {
      parseCampaignConfig(config({ 'CALLERID(num)': 'tutar' }));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ProblemError);
    const problem = refused as ProblemError;
    expect(problem.code).toBe('INVALID_CAMPAIGN_CONFIG');
    expect(JSON.stringify(problem.extra)).toContain('columnMapping.variables');
  });

  it('takes lower-case names', () => {
    expect(parseCampaignConfig(config({ amount: 'tutar', due_date: 'son_odeme' })).columnMapping?.variables).toEqual({
      amount: 'tutar',
      due_date: 'son_odeme',
    });
  });
});
