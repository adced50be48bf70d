import { renderLines } from '../domain/flows';
import type { CallWorkflowInput } from './call.messages';

/** The first line, computed before dialing and sent with the dial request (seed 000's lesson). */
export function openingLine(input: CallWorkflowInput): string {
  return renderLines(input.callType, input.language, { ...input.variables, name: input.name ?? undefined }).opening;
}
