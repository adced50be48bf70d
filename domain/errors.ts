/** Application failure types, named once: thrown by activities, listed in retry policies. */
export const CallErrorType = {
  DialRejected: 'DialRejected',
  DialOutcomeUnknown: 'DialOutcomeUnknown',
  InvalidNumber: 'InvalidNumber',
  ProviderNotConfigured: 'ProviderNotConfigured',
  /** Retryable: every concurrent-call slot of the tenant is held; the call waits for one. */
  TenantCallLimitReached: 'TenantCallLimitReached',
} as const;
export type CallErrorType = (typeof CallErrorType)[keyof typeof CallErrorType];
