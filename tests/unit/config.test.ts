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
