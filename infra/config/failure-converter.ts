import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Moves a failure's message and stack trace into a payload, which the codec encrypts: a provider's
 * refusal can quote the number it was asked to dial. Loaded by path, inside the workflow sandbox too.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
