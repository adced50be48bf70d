import { describe, expect, it } from 'vitest';
import { AriClient } from '../../activities/providers/asterisk/ari-client';
import { asteriskFacts, asteriskInboxEntry, asteriskPhone } from '../../activities/providers/asterisk/events';
import { AsteriskProvider } from '../../activities/providers/asterisk/provider';
import { dialplanWebhookBody } from '../../infra/dev/simulator/dialplan';

const CALL_ID = '0193a3c2-7f00-7000-8000-000000000001';

/** The dialplan's transfer-progress body for a Dial() of the human that ended so, read as the API reads it. */
function reported(variables: Record<string, string>) {
  const { path, body } = dialplanWebhookBody('outdial-transfer', {
    OUTDIAL_TRANSFER_OF: CALL_ID,
    EXTEN: '905551112233',
    HANGUPCAUSE: '16',
    ANSWEREDTIME: '',
    ...variables,
  });
  const entry = asteriskInboxEntry(
    'transfer-progress',
    Object.fromEntries(new URLSearchParams(body)),
    new Date('2026-12-07T10:00:00Z'),
  );
  return { path, entry, facts: entry ? asteriskFacts('transfer-progress', entry.payload) : [] };
}

describe("an ARI call's transfer (issue 24)", () => {
  it('originates Local/<number>@outdial-transfer/n into the bridging context, with fixed channel ids', async () => {
    const requests: { url: string; body: unknown }[] = [];
    const ari = new AriClient({ baseUrl: 'http://ari/ari', user: 'u', password: 'p' }, (url, init) => {
      requests.push({ url: url as string, body: JSON.parse(init?.body as string) as unknown });
      return Promise.resolve(new Response('{}', { status: requests.length === 1 ? 200 : 409 }));
    });
    const provider = new AsteriskProvider(ari, { trunk: 'trunk' });
    await provider.transfer({ providerCallId: CALL_ID, to: '+905551112233' });
    // A repeat is refused by Asterisk (409), which means the first one was sent.
    await provider.transfer({ providerCallId: CALL_ID, to: '+905551112233' });
    const url = new URL(requests[0]!.url);
    expect(url.pathname).toBe('/ari/channels');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      endpoint: 'Local/905551112233@outdial-transfer/n',
      context: 'outdial-transfer-bridge',
      extension: 's',
      channelId: `${CALL_ID}-transfer`,
      otherChannelId: `${CALL_ID}-transfer-dial`,
    });
    expect(requests[0]!.body).toEqual({ variables: { _OUTDIAL_TRANSFER_OF: CALL_ID, _SIP_TRUNK: 'trunk' } });
  });

  it('refuses a transfer Asterisk did not accept', async () => {
    const ari = new AriClient({ baseUrl: 'http://ari/ari', user: 'u', password: 'p' }, () =>
      Promise.resolve(new Response('{"message":"Allocation failed"}', { status: 500 })),
    );
    await expect(
      new AsteriskProvider(ari, { trunk: 'trunk' }).transfer({
        providerCallId: CALL_ID,
        to: '+905551112233',
      }),
    ).rejects.toThrow(/500/);
  });

  it('reads the human leg answered, with its talk time', () => {
    const { path, entry, facts } = reported({ DIALSTATUS: 'ANSWER', ANSWEREDTIME: '42' });
    expect(path).toBe('/api/v1/webhooks/transfer-progress');
    expect(entry?.callId).toBe(CALL_ID);
    expect(facts).toEqual([
      {
        kind: 'transfer',
        key: `transfer-progress:${CALL_ID}:ANSWER`,
        at: '2026-12-07T10:00:00.000Z',
        stage: 'answered',
        to: '+905551112233',
        cause: '16',
        humanSeconds: 42,
      },
    ]);
  });

  it.each([
    ['BUSY', '17', 'busy'],
    ['NOANSWER', '19', 'no_answer'],
    ['CHANUNAVAIL', '3', 'failed'],
    ['CONGESTION', '34', 'failed'],
  ])('reads DIALSTATUS %s (cause %s) as %s', (status, cause, stage) => {
    const { facts } = reported({ DIALSTATUS: status, HANGUPCAUSE: cause });
    expect(facts).toEqual([expect.objectContaining({ stage, cause, to: '+905551112233' })]);
    expect(facts[0]).not.toHaveProperty('humanSeconds');
  });
});

describe("an Ultravox coldTransfer's human leg, as Asterisk reports it (issue 24)", () => {
  const read = (
    context: string,
    event: 'transfer-progress' | 'call-transferred',
    variables: Record<string, string>,
  ) => {
    const { path, body } = dialplanWebhookBody(context, {
      ULTRAVOX_PHONE: '+905321234567',
      EXTEN: '+905551112233',
      OUTDIAL_TRANSFER_TARGET: '+905551112233',
      ...variables,
    });
    const entry = asteriskInboxEntry(
      event,
      Object.fromEntries(new URLSearchParams(body)),
      new Date('2026-12-08T10:00:00Z'),
    );
    return { path, entry, facts: entry ? asteriskFacts(event, entry.payload) : [] };
  };

  it('confirms the transfer when the human answers (Dial U()), by the number the person was dialled on', () => {
    const { path, entry, facts } = read('ultravox-transfer-answered', 'call-transferred', {});
    expect(path).toBe('/api/v1/webhooks/call-transferred');
    expect(entry?.callId).toBeNull();
    expect(asteriskPhone(entry?.payload)).toBe('+905321234567');
    expect(facts).toEqual([expect.objectContaining({ kind: 'transferred', to: '+905551112233' })]);
  });

  it.each([
    ['ANSWER', '16', '42', { stage: 'answered', humanSeconds: 42 }],
    ['BUSY', '17', '', { stage: 'busy' }],
    ['CHANUNAVAIL', '3', '', { stage: 'failed' }],
  ])('reads the Dial() of the human ending %s as the transfer %o', (status, cause, seconds, expected) => {
    const { path, entry, facts } = read('ultravox-transfer', 'transfer-progress', {
      DIALSTATUS: status,
      HANGUPCAUSE: cause,
      ANSWEREDTIME: seconds,
    });
    expect(path).toBe('/api/v1/webhooks/transfer-progress');
    expect(asteriskPhone(entry?.payload)).toBe('+905321234567');
    expect(facts).toEqual([
      {
        kind: 'transfer',
        key: `transfer-progress:+905321234567:${status}`,
        at: '2026-12-08T10:00:00.000Z',
        to: '+905551112233',
        cause,
        ...expected,
      },
    ]);
  });
});
