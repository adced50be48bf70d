import type { Provider } from '../../domain/vocabulary';
import { AriClient, type AriSettings } from './asterisk/ari-client';
import { AsteriskProvider, type AsteriskSettings } from './asterisk/provider';
import { ElevenLabsProvider, type ElevenLabsSettings } from './elevenlabs/provider';
import type { VoiceProvider } from './provider';
import { UltravoxProvider, type UltravoxSettings } from './ultravox/provider';

export type ProviderRegistry = Partial<Record<Provider, VoiceProvider>>;

export interface ProviderEndpoints {
  elevenlabs?: ElevenLabsSettings;
  ultravox?: UltravoxSettings;
  /** ARI serves the asterisk provider and the cancel of ringing Ultravox legs. */
  ari?: AriSettings;
  asterisk?: AsteriskSettings;
}

/** Builds the adapters that have settings; a campaign naming another provider fails fast at dial. */
export function createProviderRegistry(endpoints: ProviderEndpoints): ProviderRegistry {
  const registry: ProviderRegistry = {};
  if (endpoints.elevenlabs) registry.elevenlabs = new ElevenLabsProvider(endpoints.elevenlabs);
  const ari = endpoints.ari ? new AriClient(endpoints.ari) : undefined;
  if (endpoints.ultravox) registry.ultravox = new UltravoxProvider(endpoints.ultravox, ari);
  if (ari && endpoints.asterisk) registry.asterisk = new AsteriskProvider(ari, endpoints.asterisk);
  return registry;
}
