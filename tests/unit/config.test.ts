import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, providersWithCredentials } from '../../infra/config/config';

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

describe('parseConfig in production (issue 20, item 5)', () => {
  const strong = (name: string) => `${name.toLowerCase()}-${'x'.repeat(32)}`;
  const PRODUCTION = {
    NODE_ENV: 'production',
    ADMIN_TOKEN: strong('admin'),
    ELEVENLABS_WEBHOOK_SECRET: strong('webhook'),
    ELEVENLABS_TOOL_SECRET: strong('tool'),
  };

  it('starts with long secrets of its own', () => {
    expect(parseConfig(PRODUCTION).NODE_ENV).toBe('production');
  });

  it('refuses the SIP credentials the repository ships when Ultravox dials through Asterisk', () => {
    expect(() => parseConfig({ ...PRODUCTION, ULTRAVOX_API_KEY: 'uv-key' })).toThrow(/ULTRAVOX_SIP_PASSWORD: the development default/);
    expect(() => parseConfig({ ...PRODUCTION, ULTRAVOX_API_KEY: 'uv-key', ULTRAVOX_SIP_PASSWORD: strong('sip') })).not.toThrow();
  });

  it('refuses a configured ARI without a long password', () => {
    expect(() => parseConfig({ ...PRODUCTION, ASTERISK_ARI_URL: 'http://pbx:8088/ari', ASTERISK_ARI_PASSWORD: 'asterisk' })).toThrow(
      /ASTERISK_ARI_PASSWORD: shorter than 32 characters/,
    );
    expect(() => parseConfig({ ...PRODUCTION, ASTERISK_ARI_URL: 'http://pbx:8088/ari' })).toThrow(/ASTERISK_ARI_PASSWORD/);
  });

  it('names every short or development secret at once', () => {
    let message = '';
    try {
      parseConfig({ ...PRODUCTION, ADMIN_TOKEN: 'dev-admin-token-change-me', ELEVENLABS_TOOL_SECRET: 'sixteen-chars-ok' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN: the development default/);
    expect(message).toMatch(/ELEVENLABS_TOOL_SECRET: shorter than 32 characters/);
  });

  it('keeps development and tests on the local secrets', () => {
    expect(() => parseConfig(REQUIRED)).not.toThrow();
  });
});
