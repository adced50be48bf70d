import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { campaignKey } from './queries';
import { StepNav } from './step-nav';
import type { StepProps } from './types';

/** The first contacts' opening lines, rendered by the same function the calls start with. */
export function OpeningStep({ campaign, back, next }: StepProps) {
  const { t } = useTranslation('wizard');
  const lines = useQuery({
    queryKey: [...campaignKey(campaign.id), 'opening-lines'],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/opening-lines', { params: { path: { id: campaign.id }, query: { limit: 3 } } })),
  });
  return (
    <section className="card">
      <h2>{t('opening.heading')}</h2>
      <p className="muted">{t('opening.intro')}</p>
      <ErrorAlert error={lines.error} />
      {lines.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {lines.data?.items.length === 0 && <p>{t('opening.none')}</p>}
      <ul className="opening-lines">
        {lines.data?.items.map((item) => (
          <li key={item.contactId}>
            <p className="muted">
              {t('opening.row', { row: item.row })} · {item.name ?? t('opening.noName')} · {item.toNumber}
            </p>
            <blockquote lang={campaign.config.language}>{item.line}</blockquote>
          </li>
        ))}
      </ul>
      <StepNav back={back} onNext={next} />
    </section>
  );
}
