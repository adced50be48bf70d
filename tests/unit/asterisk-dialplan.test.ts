import { describe, expect, it } from 'vitest';
import {
  asteriskFilter,
  DIALPLAN,
  dialplanLines,
  dialplanWebhooks,
  expandBody,
  expansions,
} from '../../infra/dev/simulator/dialplan';

/** The lines of one context, from its `[name]` to the next. */
function context(name: string): string[] {
  const start = DIALPLAN.search(new RegExp(`^\\[${name}\\]$`, 'm'));
  const rest = DIALPLAN.slice(start + name.length + 2);
  const next = rest.search(/^\[/m);
  return (next < 0 ? rest : rest.slice(0, next))
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith(';'));
}

describe('the Asterisk dialplan (issue 20, items 3 and 11)', () => {
  const lines = dialplanLines();

  it('runs no shell: no System() or TrySystem(), so no value reaches a command line', () => {
    expect(lines.filter((line) => /\b(Try)?System\(/.test(line))).toEqual([]);
  });

  it('posts every webhook through the one subroutine, every value in its body filtered', () => {
    const webhooks = dialplanWebhooks();
    expect(webhooks.map((hook) => hook.context).sort()).toEqual([
      'amd_machine',
      'outdial-dial',
      'outdial-transfer',
      'ultravox-amd-check',
      'ultravox-transfer',
      'ultravox-transfer-answered',
    ]);
    expect(webhooks.map((hook) => hook.path).sort()).toEqual([
      '/api/v1/webhooks/amd-result',
      '/api/v1/webhooks/amd-result',
      '/api/v1/webhooks/call-failed',
      '/api/v1/webhooks/call-transferred',
      '/api/v1/webhooks/transfer-progress',
      '/api/v1/webhooks/transfer-progress',
    ]);
    for (const { body } of webhooks) {
      for (const expansion of expansions(body)) {
        expect(expansion, body).toMatch(/^(URIENCODE\(\$\{)?FILTER\([^,]+,\$\{[A-Z_]+(:\d+)?\}\)(\}\))?$/);
      }
    }
    // CURL() is called in the subroutine alone.
    const curls = lines.filter((line) => line.includes('${CURL('));
    expect(curls).toHaveLength(1);
    expect(context('outdial-webhook')).toContain(curls[0]);
  });

  it('sends the token as a CURLOPT header, set once per channel, never in a URL or a body', () => {
    const subroutine = context('outdial-webhook');
    const tokenLines = lines.filter((line) => line.includes('${OUTDIAL_WEBHOOK_TOKEN}'));
    expect(tokenLines).toEqual([
      ' same => n,Set(CURLOPT(httpheader)=X-Webhook-Token: ${OUTDIAL_WEBHOOK_TOKEN})',
    ]);
    expect(subroutine).toContain(tokenLines[0]);
    // Headers add up on a channel: a second webhook from it must not send the token twice.
    expect(subroutine[0]).toMatch(/GotoIf\(\$\["\$\{OUTDIAL_CURL_SET\}" = "1"\]\?ready\)/);
  });

  it('tries a webhook again with a doubling wait until a 2xx or 4xx answer, five attempts at most', () => {
    const subroutine = context('outdial-webhook').join('\n');
    expect(subroutine).toMatch(/Set\(CURLOPT\(header\)=1\)/);
    expect(subroutine).toMatch(/GotoIf\(\$\{REGEX\("\^HTTP\/\[0-9\.\]\+ \[24\]" \$\{answer\}\)\}\?done\)/);
    expect(subroutine).toMatch(/Set\(LOCAL\(delay\)=1\)/);
    expect(subroutine).toMatch(/Wait\(\$\{delay\}\)/);
    expect(subroutine).toMatch(/Set\(LOCAL\(delay\)=\$\[\$\{delay\} \* 2\]\)/);
    // 1, 2, 4, 8 s of waiting: the fifth failure ends it.
    expect(subroutine).toMatch(/GotoIf\(\$\[\$\{delay\} > 8\]\?undelivered\)/);
  });

  it('dials only digits taken from the extension', () => {
    const dials = lines.filter((line) => /Dial\(PJSIP\//.test(line));
    expect(dials.length).toBeGreaterThan(0);
    for (const line of dials)
      expect(line, line).toMatch(/Dial\(PJSIP\/\$\{FILTER\(0-9,\$\{EXTEN(:\d)?\}\)\}@\$\{SIP_TRUNK\}/);
  });

  it('leaves a hostile value only the characters its field may hold', () => {
    const failed = dialplanWebhooks().find((hook) => hook.path.endsWith('call-failed'))!;
    const body = expandBody(failed.body, {
      VOICEAI_UUID: "0192e4c1-7a3b-7000-8000-000000000001';rm -rf /&x=",
      DIALSTATUS: 'BUSY&uuid=other',
      HANGUPCAUSE: '17,$(id)',
    });
    expect(body).toBe('uuid=0192e4c1-7a3b-7000-8000-000000000001-f&status=BUSY&cause=17');
    expect(asteriskFilter('+0-9', '+90 (532) 111-22-33')).toBe('+905321112233');
  });
});
