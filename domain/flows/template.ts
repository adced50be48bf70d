/**
 * Script templates: `{{name}}` is a required variable; `{{#location}} ... {{/location}}` is a section
 * spoken only when `location` has a value, so `location` is optional. Required variables are read from
 * the templates themselves, so a new placeholder can never be forgotten by campaign validation.
 */

export type TemplateVariables = Readonly<Record<string, string | null | undefined>>;

/** Thrown when a row lacks a value a script needs; caught at campaign creation, never mid-call. */
export class MissingTemplateVariableError extends Error {
  override readonly name = 'MissingTemplateVariableError';
  constructor(readonly missing: readonly string[]) {
    super(`Missing template variable(s): ${missing.join(', ')}`);
  }
}

const SECTION = /\{\{#(\w+)\}\}([\s\S]*?)\{\{\/\1\}\}/g;
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

function hasValue(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '');
}

/** Variables a template cannot be spoken without: placeholders outside optional sections. */
export function templateRequiredVariables(template: string): string[] {
  return unique(placeholders(template.replace(SECTION, '')));
}

/** Every variable a template mentions, optional ones included. */
export function templateVariables(template: string): string[] {
  const sectionNames = [...template.matchAll(SECTION)].map((match) => match[1] ?? '');
  return unique([...placeholders(template), ...sectionNames]);
}

export function renderTemplate(template: string, vars: TemplateVariables): string {
  const withSections = template.replace(SECTION, (_whole, name: string, body: string) =>
    hasValue(vars[name]) ? body : '',
  );
  const missing = unique(placeholders(withSections).filter((name) => !hasValue(vars[name])));
  if (missing.length > 0) throw new MissingTemplateVariableError(missing);
  return withSections.replace(PLACEHOLDER, (_whole, name: string) => (vars[name] ?? '').trim());
}

export function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
