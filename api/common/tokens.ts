/** Injection tokens: symbols, never strings. The Temporal Client and Kysely use their classes. */
export const APP_CONFIG = Symbol('AppConfig');
/** The provider adapters (ProviderRegistry) the API reads from: recordings. */
export const PROVIDERS = Symbol('Providers');
