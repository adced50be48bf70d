import type { AppConfig } from '../../infra/config';
import { createProviderRegistry, type ProviderRegistry } from './registry';

/**
 * Adapters for every provider with an endpoint: real credentials, or a base URL pointing at the
 * provider simulator (which accepts any key).
 */
export function providersFromConfig(config: AppConfig): ProviderRegistry {
  const elevenlabsKey = config.ELEVENLABS_API_KEY ?? (config.ELEVENLABS_BASE_URL ? 'simulator' : undefined);
  return createProviderRegistry({
    ...(elevenlabsKey
      ? {
          elevenlabs: {
            apiKey: elevenlabsKey,
            ...(config.ELEVENLABS_BASE_URL ? { baseUrl: config.ELEVENLABS_BASE_URL } : {}),
            agentId: config.ELEVENLABS_AGENT_ID,
            phoneNumberId: config.ELEVENLABS_PHONE_NUMBER_ID,
            telephony: config.ELEVENLABS_TELEPHONY,
          },
        }
      : {}),
  });
}
