import type { Provider } from '../../domain/vocabulary';
import { ElevenLabsProvider } from './elevenlabs.provider';
import type { VoiceProvider } from './provider';

export type ProviderRegistry = Partial<Record<Provider, VoiceProvider>>;

export interface ProviderEndpoints {
  elevenlabs?: { apiKey: string; baseUrl?: string; agentId: string; phoneNumberId: string; telephony: 'twilio' | 'sip_trunk' };
}

/** Builds the adapters that have settings; a campaign naming another provider fails fast at dial. */
export function createProviderRegistry(endpoints: ProviderEndpoints): ProviderRegistry {
  const registry: ProviderRegistry = {};
  if (endpoints.elevenlabs) registry.elevenlabs = new ElevenLabsProvider(endpoints.elevenlabs);
  return registry;
}
