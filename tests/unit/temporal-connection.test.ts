import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../infra/config/config';
import { temporalConnectionOptions } from '../../infra/config/temporal-connection';

const REQUIRED = {
  ADMIN_TOKEN: 'an-admin-token-of-16+',
  ELEVENLABS_WEBHOOK_SECRET: 'webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'tool-secret',
};

describe('Temporal connection settings', () => {
  let dir: string;
  const files = { cert: '', key: '', ca: '' };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'temporal-tls-'));
    for (const name of ['cert', 'key', 'ca'] as const) {
      files[name] = join(dir, `${name}.pem`);
      await writeFile(files[name], `-----BEGIN ${name}-----\n`);
    }
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('connects in plaintext to a local or in-cluster server', () => {
    expect(
      temporalConnectionOptions(parseConfig({ ...REQUIRED, TEMPORAL_ADDRESS: 'temporal:7233' })),
    ).toEqual({
      address: 'temporal:7233',
    });
  });

  it('sends a Temporal Cloud API key over TLS', () => {
    const config = parseConfig({
      ...REQUIRED,
      TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233',
      TEMPORAL_NAMESPACE: 'outdial.a1b2c',
      TEMPORAL_API_KEY: 'key-from-cloud',
    });
    expect(temporalConnectionOptions(config)).toEqual({
      address: 'eu-west-1.aws.api.temporal.io:7233',
      tls: {},
      apiKey: 'key-from-cloud',
    });
  });

  it('presents a client certificate for mTLS, with a private CA and server name when given', () => {
    const config = parseConfig({
      ...REQUIRED,
      TEMPORAL_ADDRESS: 'outdial.a1b2c.tmprl.cloud:7233',
      TEMPORAL_TLS_CERT_PATH: files.cert,
      TEMPORAL_TLS_KEY_PATH: files.key,
      TEMPORAL_TLS_CA_PATH: files.ca,
      TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
    });
    const { tls } = temporalConnectionOptions(config);
    expect(tls?.serverNameOverride).toBe('frontend.internal');
    expect(tls?.clientCertPair?.crt.toString()).toBe('-----BEGIN cert-----\n');
    expect(tls?.clientCertPair?.key.toString()).toBe('-----BEGIN key-----\n');
    expect(tls?.serverRootCACertificate?.toString()).toBe('-----BEGIN ca-----\n');
  });

  it('refuses a certificate without its key, naming the missing variable', () => {
    expect(() => parseConfig({ ...REQUIRED, TEMPORAL_TLS_CERT_PATH: files.cert })).toThrow(
      /TEMPORAL_TLS_KEY_PATH \(missing\): mTLS needs both/,
    );
  });

  it('names the variable whose file cannot be read', () => {
    const config = parseConfig({ ...REQUIRED, TEMPORAL_TLS_CA_PATH: join(dir, 'absent.pem') });
    expect(() => temporalConnectionOptions(config)).toThrow(ConfigError);
    expect(() => temporalConnectionOptions(config)).toThrow(
      /TEMPORAL_TLS_CA_PATH \(.*absent\.pem\) cannot be read/,
    );
  });
});
