import type { CallType, Label, Language } from '../vocabulary';
import { LANGUAGES } from '../vocabulary';
import { appointmentReminder } from './appointment-reminder';
import { billingReminder } from './billing-reminder';
import type { FlowLines, FlowScript } from './flow-script';
import { shippingUpdate } from './shipping-update';
import type { TemplateVariables } from './template';
import {
  MissingTemplateVariableError,
  renderTemplate,
  templateRequiredVariables,
  templateVariables,
  unique,
} from './template';

export type { FlowLines, FlowScript } from './flow-script';
export { MissingTemplateVariableError, renderTemplate };
export type { TemplateVariables } from './template';

export const FLOWS: Readonly<Record<CallType, FlowScript>> = {
  BILLING_REMINDER: billingReminder,
  APPOINTMENT_REMINDER: appointmentReminder,
  SHIPPING_UPDATE: shippingUpdate,
};

/** Lines after rendering: what the machine keeps in its context and the agent says. */
export interface RenderedLines {
  opening: string;
  reask: string;
  closing: Record<Label, string>;
  transfer: string;
}

function allTemplates(lines: FlowLines): string[] {
  return [lines.opening, lines.followup, lines.reask, ...Object.values(lines.closing), lines.transfer];
}

/** Variables every row needs for this call type, in any language (a campaign can switch language). */
export function requiredVariables(callType: CallType): string[] {
  const flow = FLOWS[callType];
  return unique(
    LANGUAGES.flatMap((language) => allTemplates(flow.lines[language]).flatMap(templateRequiredVariables)),
  );
}

/** Required and optional variables: what a column mapping may offer for this call type. */
export function knownVariables(callType: CallType): string[] {
  const flow = FLOWS[callType];
  return unique(
    LANGUAGES.flatMap((language) => allTemplates(flow.lines[language]).flatMap(templateVariables)),
  );
}

/** Variables this row lacks for the campaign's call type and language; empty when it can be called. */
export function missingVariables(callType: CallType, language: Language, vars: TemplateVariables): string[] {
  const needed = unique(allTemplates(FLOWS[callType].lines[language]).flatMap(templateRequiredVariables));
  return needed.filter((name) => (vars[name] ?? '').trim() === '');
}

/** Renders every line for one call; throws `MissingTemplateVariableError` naming all gaps at once. */
export function renderLines(callType: CallType, language: Language, vars: TemplateVariables): RenderedLines {
  const missing = missingVariables(callType, language, vars);
  if (missing.length > 0) throw new MissingTemplateVariableError(missing);
  const lines = FLOWS[callType].lines[language];
  const render = (template: string): string => renderTemplate(template, vars);
  return {
    opening: `${render(lines.opening)} ${render(lines.followup)}`,
    reask: render(lines.reask),
    closing: {
      YES: render(lines.closing.YES),
      NO: render(lines.closing.NO),
      LATER: render(lines.closing.LATER),
      DONT_CALL: render(lines.closing.DONT_CALL),
      ASK_AGENT: render(lines.closing.ASK_AGENT),
      UNKNOWN: render(lines.closing.UNKNOWN),
    },
    transfer: render(lines.transfer),
  };
}
