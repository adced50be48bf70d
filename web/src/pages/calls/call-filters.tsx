import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Field } from '../../ui/field';
import { LABELS, OUTCOMES, STATUSES } from './filters';
import type { CallFilters as Filters } from './types';

const FILTER_NAMES = ['status', 'outcome', 'label', 'campaignId', 'q'] as const;

/**
 * The list's filters as a form whose values live in the address: reload and back restore them.
 * A select applies at once; the number search applies on Enter or "Apply".
 */
export function CallFilters({ filters, campaigns, error }: { filters: Filters; campaigns: { id: string; name: string }[]; error: unknown }) {
  const { t } = useTranslation('calls');
  const [params, setParams] = useSearchParams();
  const apply = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const next = new URLSearchParams();
    for (const name of FILTER_NAMES) {
      const entry = data.get(name);
      const value = typeof entry === 'string' ? entry.trim() : '';
      if (value) next.set(name, value);
    }
    const limit = params.get('limit');
    if (limit) next.set('limit', limit);
    setParams(next);
  };
  const any = <option value="">{t('common:any')}</option>;
  return (
    // Keyed by the address so that back and forward put the fields' values back too.
    <form
      key={params.toString()}
      className="card call-filters"
      aria-label={t('filters.legend')}
      onSubmit={(event) => {
        event.preventDefault();
        apply(event.currentTarget);
      }}
    >
      <Field label={t('filters.status')}>
        {(props) => (
          <select {...props} name="status" defaultValue={filters.status ?? ''} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {any}
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`common:status.${status}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('filters.outcome')}>
        {(props) => (
          <select {...props} name="outcome" defaultValue={filters.outcome ?? ''} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {any}
            {OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {t(`common:outcome.${outcome}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('filters.label')}>
        {(props) => (
          <select {...props} name="label" defaultValue={filters.label ?? ''} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {any}
            {LABELS.map((label) => (
              <option key={label} value={label}>
                {t(`common:label.${label}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('filters.campaign')}>
        {(props) => (
          <select {...props} name="campaignId" defaultValue={filters.campaignId ?? ''} onChange={(e) => e.currentTarget.form?.requestSubmit()}>
            {any}
            {campaigns.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('filters.q')} hint={t('filters.qHint')} path="q" error={error}>
        {(props) => <input {...props} name="q" type="search" inputMode="tel" pattern="\+?[\d\s()\-]{1,20}" defaultValue={filters.q ?? ''} />}
      </Field>
      <div className="call-filter-actions row">
        <button className="button primary">{t('filters.apply')}</button>
        {Object.keys(filters).length > 0 && (
          <button type="button" className="button link" onClick={() => setParams(new URLSearchParams())}>
            {t('filters.clear')}
          </button>
        )}
      </div>
    </form>
  );
}
