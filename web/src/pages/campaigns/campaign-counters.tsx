import { useTranslation } from 'react-i18next';
import type { CampaignStats } from '../../client/types';
import { Badge } from '../../ui/badge';
import { formatNumber } from '../../ui/format';

type Kind = 'status' | 'outcome' | 'label';

function Counts({ title, kind, counts }: { title: string; kind: Kind; counts: Record<string, number> }) {
  const { t } = useTranslation('campaigns');
  const entries = Object.entries(counts).sort(([, a], [, b]) => b - a);
  return (
    <section className="card counters" aria-label={title}>
      <h2>{title}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('detail.noCalls')}</p>
      ) : (
        <dl>
          {entries.map(([value, count]) => (
            <div key={value} className="row spread" data-testid={`${kind}-${value}`}>
              <dt>
                <Badge kind={kind} value={value} />
              </dt>
              <dd className="num">{formatNumber(count)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

/** The contacts by their result's status, the outcomes and the answers, as the stream last sent them. */
export function CampaignCounters({ stats }: { stats: CampaignStats }) {
  const { t } = useTranslation('campaigns');
  return (
    <div className="grid-3">
      <Counts title={t('detail.byStatus')} kind="status" counts={stats.counts.byStatus} />
      <Counts title={t('detail.byOutcome')} kind="outcome" counts={stats.counts.byOutcome} />
      <Counts title={t('detail.byLabel')} kind="label" counts={stats.counts.byLabel} />
    </div>
  );
}
