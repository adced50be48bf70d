/** Injection tokens: symbols, never strings. The Temporal Client and Kysely use their classes. */
export const APP_CONFIG = Symbol('AppConfig');
/**
 * The pool in system scope (createSystemDatabase), for what acts before a tenant is known or across
 * tenants: the webhook inbox, sign-in, the operator's endpoints. Everything else is `Kysely`.
 */
export const SYSTEM_DB = Symbol('SystemDb');
/** The provider adapters (ProviderRegistry) the API reads from: recordings. */
export const PROVIDERS = Symbol('Providers');
