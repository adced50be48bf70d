import { patched } from '@temporalio/workflow';
import { transferRefusal, type TransferRefusal } from '../domain/phone';
import type { CallWorkflowInput } from './call.messages';

/**
 * Issue 24 item 4: the workflow checks the campaign's transfer number itself, against the countries
 * the campaign allows, and refuses it as a fact when the person asks for an agent. Histories
 * recorded before it replay with the number as the campaign passed it.
 */
export const TRANSFER_REFUSAL_PATCH = 'transfer-refusal';

export interface RefusedTransfer {
  to: string;
  reason: TransferRefusal;
}

/**
 * The call's input with only a transfer number the workflow accepts (the dial, the agent's
 * variables and the flow see no other), and the refusal of the campaign's number if it was refused.
 * Contact data never gets here: the number is the campaign's setting.
 */
export function vetTransferNumber(input: CallWorkflowInput): {
  input: CallWorkflowInput;
  refused: RefusedTransfer | null;
} {
  const to = input.transferNumber;
  if (to === undefined || !patched(TRANSFER_REFUSAL_PATCH)) return { input, refused: null };
  const reason = transferRefusal(to, input.transferCountries ?? []);
  if (reason === null) return { input, refused: null };
  const { transferNumber: _refused, ...rest } = input;
  return { input: rest, refused: { to, reason } };
}
