import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, payloadKeysOf, providersWithCredentials } from '../../infra/config/config';
import { LOCAL_SECRETS } from '../../infra/stack/local-secrets';

const REQUIRED = {
  ADMIN_TOKEN: 'an-admin-token-of-16+',
  ELEVENLABS_WEBHOOK_SECRET: 'webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'tool-secret',
};

describe('parseConfig', () => {
  it('applies documented defaults and freezes the result', () => {
    const config = parseConfig(REQUIRED);
    expect(config).toMatchObject({
      PORT: 3000,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'outdial',
      TEMPORAL_TLS: false,
      ELEVENLABS_TELEPHONY: 'twilio',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('coerces numbers and booleans from strings', () => {
    const config = parseConfig({ ...REQUIRED, PORT: '8080', TEMPORAL_TLS: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.TEMPORAL_TLS).toBe(true);
  });

  it('names a missing variable', () => {
    const { ADMIN_TOKEN: _omit, ...rest } = REQUIRED;
    expect(() => parseConfig(rest)).toThrow(ConfigError);
    expect(() => parseConfig(rest)).toThrow(/ADMIN_TOKEN \(missing\)/);
  });

  it('names every malformed variable at once', () => {
    let message = '';
    try {
      parseConfig({ ...REQUIRED, PORT: 'eighty', DATABASE_URL: 'mysql://x', ELEVENLABS_TELEPHONY: 'pots' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/PORT \(malformed\)/);
    expect(message).toMatch(/DATABASE_URL \(malformed\): must be a postgres:\/\/ URL/);
    expect(message).toMatch(/ELEVENLABS_TELEPHONY \(malformed\)/);
  });

  it('refuses a short admin token', () => {
    expect(() => parseConfig({ ...REQUIRED, ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN \(malformed\)/);
  });

  it('reports which providers have real credentials', () => {
    expect([...providersWithCredentials(parseConfig(REQUIRED))]).toEqual([]);
    const config = parseConfig({ ...REQUIRED, ELEVENLABS_API_KEY: 'k', ULTRAVOX_API_KEY: 'u' });
    expect([...providersWithCredentials(config)].sort()).toEqual(['elevenlabs', 'ultravox']);
  });
});

describe('payload keys (issue 20, item 17)', () => {
  const KEY_A = Buffer.alloc(32, 1).toString('base64');
  const KEY_B = Buffer.alloc(32, 2).toString('base64');

  it('encrypts under PAYLOAD_KEY_ID and keeps every listed key for decrypting', () => {
    const keys = payloadKeysOf(
      parseConfig({ ...REQUIRED, PAYLOAD_KEY_ID: 'b', PAYLOAD_KEYS: `b:${KEY_B}, a:${KEY_A}` }),
    );
    expect(keys?.current).toBe('b');
    expect([...keys!.byId.keys()]).toEqual(['b', 'a']);
    expect(keys!.byId.get('a')).toEqual(Buffer.alloc(32, 1));
  });

  it('leaves payloads in clear outside production when no key is set', () => {
    expect(payloadKeysOf(parseConfig(REQUIRED))).toBeUndefined();
  });

  it('names a key that is not 32 bytes of base64, a repeated id, and an id that names no key', () => {
    const short = Buffer.alloc(16).toString('base64');
    expect(() => parseConfig({ ...REQUIRED, PAYLOAD_KEY_ID: 'a', PAYLOAD_KEYS: `a:${short}` })).toThrow(
      /PAYLOAD_KEYS \(malformed\): key "a" is not the base64 of 32 bytes/,
    );
    expect(() =>
      parseConfig({ ...REQUIRED, PAYLOAD_KEY_ID: 'a', PAYLOAD_KEYS: `a:${KEY_A},a:${KEY_B}` }),
    ).toThrow(/key id "a" is listed twice/);
    expect(() =>
      parseConfig({ ...REQUIRED, PAYLOAD_KEY_ID: 'c', PAYLOAD_KEYS: `a:${KEY_A},b:${KEY_B}` }),
    ).toThrow(/PAYLOAD_KEY_ID \(malformed\): names no key of PAYLOAD_KEYS \(a, b\)/);
    expect(() => parseConfig({ ...REQUIRED, PAYLOAD_KEYS: `a:${KEY_A}` })).toThrow(
      /PAYLOAD_KEY_ID \(missing\)/,
    );
  });

  it('takes only origins as Temporal UI origins', () => {
    expect(
      parseConfig({ ...REQUIRED, CODEC_UI_ORIGINS: 'http://127.0.0.1:8233, https://temporal.example.com' })
        .CODEC_UI_ORIGINS,
    ).toEqual(['http://127.0.0.1:8233', 'https://temporal.example.com']);
    expect(() => parseConfig({ ...REQUIRED, CODEC_UI_ORIGINS: 'https://temporal.example.com/ui' })).toThrow(
      /CODEC_UI_ORIGINS \(malformed\)/,
    );
  });
});

describe('parseConfig in production (issue 20, item 5)', () => {
  const strong = (name: string) => `${name.toLowerCase()}-${'x'.repeat(32)}`;
  const PRODUCTION = {
    NODE_ENV: 'production',
    ADMIN_TOKEN: strong('admin'),
    ELEVENLABS_WEBHOOK_SECRET: strong('webhook'),
    ELEVENLABS_TOOL_SECRET: strong('tool'),
    PAYLOAD_KEY_ID: '2026-12',
    PAYLOAD_KEYS: `2026-12:${Buffer.alloc(32, 7).toString('base64')}`,
  };

  it('starts with long secrets of its own', () => {
    expect(parseConfig(PRODUCTION).NODE_ENV).toBe('production');
  });

  it('refuses the SIP credentials the repository ships when Ultravox dials through Asterisk', () => {
    expect(() => parseConfig({ ...PRODUCTION, ULTRAVOX_API_KEY: 'uv-key' })).toThrow(
      /ULTRAVOX_SIP_PASSWORD: the development default/,
    );
    expect(() =>
      parseConfig({ ...PRODUCTION, ULTRAVOX_API_KEY: 'uv-key', ULTRAVOX_SIP_PASSWORD: strong('sip') }),
    ).not.toThrow();
  });

  it('refuses a configured ARI without a long password', () => {
    expect(() =>
      parseConfig({
        ...PRODUCTION,
        ASTERISK_ARI_URL: 'http://pbx:8088/ari',
        ASTERISK_ARI_PASSWORD: 'asterisk',
      }),
    ).toThrow(/ASTERISK_ARI_PASSWORD: shorter than 32 characters/);
    expect(() => parseConfig({ ...PRODUCTION, ASTERISK_ARI_URL: 'http://pbx:8088/ari' })).toThrow(
      /ASTERISK_ARI_PASSWORD/,
    );
  });

  it('names every short or development secret at once', () => {
    let message = '';
    try {
      parseConfig({
        ...PRODUCTION,
        ADMIN_TOKEN: 'dev-admin-token-change-me',
        ELEVENLABS_TOOL_SECRET: 'sixteen-chars-ok',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN: the development default/);
    expect(message).toMatch(/ELEVENLABS_TOOL_SECRET: shorter than 32 characters/);
  });

  it('refuses to keep payloads in clear, or under the key local stacks use (issue 20, item 17)', () => {
    const { PAYLOAD_KEYS: _keys, PAYLOAD_KEY_ID: _id, ...clear } = PRODUCTION;
    expect(() => parseConfig(clear)).toThrow(/PAYLOAD_KEYS: missing; Temporal history would hold numbers/);
    const local = { PAYLOAD_KEY_ID: LOCAL_SECRETS.PAYLOAD_KEY_ID, PAYLOAD_KEYS: LOCAL_SECRETS.PAYLOAD_KEYS };
    expect(() => parseConfig({ ...PRODUCTION, ...local })).toThrow(
      /PAYLOAD_KEYS: key "dev" is the development default/,
    );
    // Kept as an old key, it still lets anyone who has this repository read or forge payloads.
    expect(() =>
      parseConfig({
        ...PRODUCTION,
        PAYLOAD_KEYS: `${PRODUCTION.PAYLOAD_KEYS},${LOCAL_SECRETS.PAYLOAD_KEYS}`,
      }),
    ).toThrow(/key "dev" is the development default/);
  });

  it('keeps development and tests on the local secrets', () => {
    expect(() => parseConfig(REQUIRED)).not.toThrow();
  });
});
