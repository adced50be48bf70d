import { ProblemError } from '../../client/problem';
import type { Column, ColumnUse } from './types';

export interface ColumnChoice {
  use: ColumnUse;
  variable: string;
}

/** The server's current mapping as the step's choices: a column it does not use is "not used". */
export function choicesOf(columns: readonly Column[]): Record<string, ColumnChoice> {
  return Object.fromEntries(
    columns.map((column) => {
      const mapped = column.mappedAs;
      const choice: ColumnChoice = !mapped
        ? { use: 'ignore', variable: '' }
        : mapped.field === 'variable'
          ? { use: 'variable', variable: mapped.variable }
          : { use: mapped.field, variable: '' };
      return [column.header, choice];
    }),
  );
}

/** Paths of the problems in a mapping, the way the API names them, so that `Field` shows them. */
export const phonePath = 'columnMapping.phone';
export const namePath = 'columnMapping.name';
export const variablePath = (header: string) => `columnMapping.variables.${header}`;

interface Messages {
  onePhone: string;
  oneName: string;
  variableRequired: string;
  variableTaken: string;
}

/**
 * The `columnMapping` PUT /mapping takes, or the problem found before sending it (shown on the
 * fields like the API's own). Variable paths are keyed by header here, since that is the row.
 */
export function toColumnMapping(columns: readonly Column[], choices: Record<string, ColumnChoice>, text: Messages) {
  const errors: { path: string; message: string }[] = [];
  const headers = (use: ColumnUse) => columns.filter((c) => choices[c.header]?.use === use).map((c) => c.header);
  const phones = headers('phone');
  const names = headers('name');
  if (phones.length !== 1) errors.push({ path: phonePath, message: text.onePhone });
  if (names.length > 1) errors.push({ path: namePath, message: text.oneName });
  const variables: Record<string, string> = {};
  for (const header of headers('variable')) {
    const variable = choices[header]?.variable.trim() ?? '';
    if (!variable) errors.push({ path: variablePath(header), message: text.variableRequired });
    else if (variable in variables) errors.push({ path: variablePath(header), message: text.variableTaken });
    else variables[variable] = header;
  }
  if (errors.length > 0) return { problem: new ProblemError({ status: 0, code: 'VALIDATION_FAILED', errors }) };
  return { mapping: { phone: phones[0] ?? '', name: names[0] ?? null, variables } };
}
