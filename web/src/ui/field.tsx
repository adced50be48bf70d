import { useId } from 'react';
import { problemOf } from '../client/problem';

interface FieldProps {
  label: string;
  /** The problem's `errors[].path` this field answers for. */
  path?: string;
  error?: unknown;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => React.ReactNode;
}

/** A labelled control whose API error, if the last answer named its path, is shown under it. */
export function Field({ label, path, error, hint, children }: FieldProps) {
  const id = useId();
  const message = path ? problemOf(error)?.fieldError(path) : undefined;
  const describedBy = [hint && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={message ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(message ? { 'aria-invalid': true as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      {message && (
        <small id={`${id}-error`} className="field-error">
          {message}
        </small>
      )}
    </div>
  );
}
