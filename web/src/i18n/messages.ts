/** A namespace's text: Turkish must have every English key (checked by the type). */
export function messages<T extends Record<string, unknown>>(en: T, tr: { [K in keyof T]: T[K] extends string ? string : T[K] }) {
  return { en, tr };
}
