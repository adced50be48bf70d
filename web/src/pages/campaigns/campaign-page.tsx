import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { can, useUser } from '../../session/session';
import { ErrorAlert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { formatNumber } from '../../ui/format';
import { Progress } from '../../ui/progress';
import { CampaignActions } from './campaign-actions';
import { CampaignCharts } from './campaign-charts';
import { CampaignCounters } from './campaign-counters';
import { CampaignSettings } from './campaign-settings';
import { useLiveStats } from './use-live-stats';
import './campaign.css';

/** One campaign, live: progress, counters, charts, its controls and its results. */
export function CampaignPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('campaigns');
  const user = useUser();
  const queries = useQueryClient();
  const campaign = useQuery({
    queryKey: ['campaign', id],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })),
  });
  // A new state from the stream (paused elsewhere, completed) re-reads the campaign for its controls.
  const onStatus = useCallback(() => void queries.invalidateQueries({ queryKey: ['campaign', id] }), [queries, id]);
  const stats = useLiveStats(id, onStatus);

  if (campaign.error) return <ErrorAlert error={campaign.error} />;
  if (!campaign.data) return <p className="muted">{t('common:state.loading')}</p>;
  const current = campaign.data;
  const progress = stats.data?.progress ?? { total: current.report.valid, finished: 0 };
  const live = stats.data && !['completed', 'cancelled', 'draft'].includes(stats.data.status);
  const results = (format: 'csv' | 'xlsx') => `/v1/campaigns/${encodeURIComponent(id)}/results?format=${format}`;

  return (
    <>
      <p>
        <Link to="/campaigns">← {t('detail.back')}</Link>
      </p>
      <div className="row spread">
        <div className="row">
          <h1>{current.name}</h1>
          <Badge kind="status" value={stats.data?.status ?? current.status} />
          {live && <span className="badge badge-running">{t('detail.live')}</span>}
        </div>
        {can(user, 'manager') && <CampaignActions campaign={current} status={stats.data?.status ?? current.status} />}
      </div>
      {current.status === 'draft' && can(user, 'manager') && (
        <p>
          <Link className="button primary" to={`/campaigns/${id}/edit`}>
            {t('detail.editDraft')}
          </Link>
        </p>
      )}
      <ErrorAlert error={stats.error} />
      <section className="card" aria-labelledby="progress-title">
        <h2 id="progress-title">{t('detail.progress')}</h2>
        <Progress value={progress.total ? progress.finished / progress.total : 0} label={t('detail.progress')} />
        <p data-testid="finished-of">
          {t('detail.finishedOf', { finished: formatNumber(progress.finished), total: formatNumber(progress.total) })}
        </p>
      </section>
      {stats.data && (
        <>
          <CampaignCounters stats={stats.data} />
          <CampaignCharts stats={stats.data} />
        </>
      )}
      <section className="card row spread" aria-label={t('detail.export')}>
        <div className="row">
          <strong>{t('detail.export')}</strong>
          <a className="button" href={results('csv')} download>
            {t('detail.exportCsv')}
          </a>
          <a className="button" href={results('xlsx')} download>
            {t('detail.exportXlsx')}
          </a>
        </div>
        <div className="row">
          <Link to={`/calls?campaignId=${encodeURIComponent(id)}`}>{t('detail.calls')}</Link>
          <a href={current.temporalUiUrl} target="_blank" rel="noreferrer">
            {t('detail.temporal')}
          </a>
        </div>
      </section>
      <CampaignSettings campaign={current} />
    </>
  );
}
