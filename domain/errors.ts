/** Application failure types, named once: thrown by activities, listed in retry policies. */
export const CallErrorType = {
  DialRejected: 'DialRejected',
  DialOutcomeUnknown: 'DialOutcomeUnknown',
  InvalidNumber: 'InvalidNumber',
  ProviderNotConfigured: 'ProviderNotConfigured',
} as const;
export type CallErrorType = (typeof CallErrorType)[keyof typeof CallErrorType];
