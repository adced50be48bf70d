import { useTranslation } from 'react-i18next';

/** A status, outcome, label or transfer stage in words, coloured by its kind. */
export function Badge({
  kind,
  value,
}: {
  kind: 'status' | 'outcome' | 'label' | 'transfer';
  value: string | null | undefined;
}) {
  const { t } = useTranslation();
  if (!value) return <span className="muted">—</span>;
  return <span className={`badge badge-${value.toLowerCase()}`}>{t(`${kind}.${value}`, { defaultValue: value })}</span>;
}
