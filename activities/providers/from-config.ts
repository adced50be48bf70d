import type { AppConfig } from '../../infra/config/config';
import { createProviderRegistry, type ProviderRegistry } from './registry';

/**
 * Adapters for every provider with an endpoint: real credentials, or a base URL pointing at the
 * provider simulator (which accepts any key).
 */
export function providersFromConfig(config: AppConfig): ProviderRegistry {
  const elevenlabsKey = config.ELEVENLABS_API_KEY ?? (config.ELEVENLABS_BASE_URL ? 'simulator' : undefined);
  const ultravoxKey = config.ULTRAVOX_API_KEY ?? (config.ULTRAVOX_BASE_URL ? 'simulator' : undefined);
  return createProviderRegistry({
    ...(elevenlabsKey
      ? {
          elevenlabs: {
            apiKey: elevenlabsKey,
            ...(config.ELEVENLABS_BASE_URL ? { baseUrl: config.ELEVENLABS_BASE_URL } : {}),
            agentId: config.ELEVENLABS_AGENT_ID,
            phoneNumberId: config.ELEVENLABS_PHONE_NUMBER_ID,
            telephony: config.ELEVENLABS_TELEPHONY,
            ...(config.ELEVENLABS_PROMPT_OVERRIDE
              ? { promptOverride: config.ELEVENLABS_PROMPT_OVERRIDE }
              : {}),
          },
        }
      : {}),
    ...(ultravoxKey
      ? {
          ultravox: {
            apiKey: ultravoxKey,
            baseUrl: config.ULTRAVOX_BASE_URL ?? 'https://api.ultravox.ai',
            sipToHost: config.ULTRAVOX_SIP_TO_HOST,
            sipUsername: config.ULTRAVOX_SIP_USERNAME,
            sipPassword: config.ULTRAVOX_SIP_PASSWORD,
            sipFrom: config.ULTRAVOX_SIP_FROM,
            ...(config.ULTRAVOX_SYSTEM_PROMPT ? { systemPrompt: config.ULTRAVOX_SYSTEM_PROMPT } : {}),
            toolBaseUrl: config.PUBLIC_BASE_URL,
            toolSecret: config.ELEVENLABS_TOOL_SECRET,
          },
        }
      : {}),
    ...(config.ASTERISK_ARI_URL
      ? {
          ari: {
            baseUrl: config.ASTERISK_ARI_URL,
            user: config.ASTERISK_ARI_USER ?? 'outdial',
            password: config.ASTERISK_ARI_PASSWORD ?? 'simulator',
          },
          asterisk: {
            trunk: config.ASTERISK_TRUNK,
            ...(config.ASTERISK_CALLER_ID ? { callerId: config.ASTERISK_CALLER_ID } : {}),
          },
        }
      : {}),
  });
}
