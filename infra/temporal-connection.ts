import type { AppConfig } from './config';

/** Connection settings for a local dev server, a self-hosted cluster or Temporal Cloud. */
export function temporalConnectionOptions(config: AppConfig): { address: string; tls?: boolean; apiKey?: string } {
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(config.TEMPORAL_TLS || config.TEMPORAL_API_KEY ? { tls: true } : {}),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}
