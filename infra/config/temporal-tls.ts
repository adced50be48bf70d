import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type AppConfig } from './config';

function pem(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ConfigError(`${name} (${path}) cannot be read: ${(error as Error).message}`);
  }
}

/**
 * TLS to Temporal, or undefined for plaintext (a local or in-cluster server). An API key
 * (Temporal Cloud) always travels over TLS; any certificate setting turns TLS on.
 */
export function temporalTls(config: AppConfig): TLSConfig | undefined {
  const { TEMPORAL_TLS_CERT_PATH: cert, TEMPORAL_TLS_KEY_PATH: key, TEMPORAL_TLS_CA_PATH: ca } = config;
  const serverName = config.TEMPORAL_TLS_SERVER_NAME;
  if (!config.TEMPORAL_TLS && !config.TEMPORAL_API_KEY && !cert && !ca && !serverName) return undefined;
  return {
    ...(cert && key
      ? {
          clientCertPair: {
            crt: pem('TEMPORAL_TLS_CERT_PATH', cert),
            key: pem('TEMPORAL_TLS_KEY_PATH', key),
          },
        }
      : {}),
    ...(ca ? { serverRootCACertificate: pem('TEMPORAL_TLS_CA_PATH', ca) } : {}),
    ...(serverName ? { serverNameOverride: serverName } : {}),
  };
}
