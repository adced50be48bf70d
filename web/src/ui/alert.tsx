import { useTranslation } from 'react-i18next';
import { problemOf } from '../client/problem';
import { problemText } from './problem-text';

/** The page-level message of an error; field errors are listed under it and shown at their fields. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = problemOf(error)?.problem.errors ?? [];
  return (
    <div role="alert" className="alert alert-error">
      <p>{problemText(t, error)}</p>
      {fields.length > 0 && (
        <ul>
          {fields.map((field) => (
            <li key={field.path}>
              {field.path && <strong>{field.path}: </strong>}
              {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div role="status" className="alert alert-info">
      {children}
    </div>
  );
}
