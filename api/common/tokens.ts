/** Injection tokens: symbols, never strings. The Temporal Client and Kysely use their classes. */
export const APP_CONFIG = Symbol('AppConfig');
