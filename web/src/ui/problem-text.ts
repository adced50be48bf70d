import type { TFunction } from 'i18next';
import { problemOf } from '../client/problem';

/** A readable sentence for any error: the code's own text where there is one, the API's detail otherwise. */
export function problemText(t: TFunction, error: unknown): string {
  const problem = problemOf(error)?.problem;
  if (!problem) return t('problem.fallback', { code: 'CLIENT', detail: String(error) });
  const values = { ...problem, detail: problem.detail ?? problem.title ?? '' };
  const key = `problem.${problem.code}`;
  return t(key, { ...values, defaultValue: t('problem.fallback', values) });
}
