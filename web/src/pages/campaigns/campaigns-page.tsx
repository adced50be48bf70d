import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { can, useUser } from '../../session/session';
import { ErrorAlert } from '../../ui/alert';
import { Badge } from '../../ui/badge';
import { formatNumber, formatTime } from '../../ui/format';
import { Progress } from '../../ui/progress';

const ACTIVE = new Set(['running', 'scheduled', 'paused']);

/** Every campaign with its status and progress; refreshed while any is running. */
export function CampaignsPage() {
  const { t } = useTranslation('campaigns');
  const user = useUser();
  const list = useQuery({
    queryKey: ['campaigns'],
    queryFn: () => unwrap(api.GET('/v1/campaigns')),
    refetchInterval: (query) => (query.state.data?.items.some((c) => ACTIVE.has(c.status)) ? 3000 : false),
  });
  return (
    <>
      <div className="row spread">
        <h1>{t('title')}</h1>
        {can(user, 'manager') && (
          <Link className="button primary" to="/campaigns/new">
            {t('common:nav.newCampaign')}
          </Link>
        )}
      </div>
      <ErrorAlert error={list.error} />
      {list.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p>{t('none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('columns.name')}</th>
                <th scope="col">{t('columns.status')}</th>
                <th scope="col">{t('columns.progress')}</th>
                <th scope="col" className="num">
                  {t('columns.contacts')}
                </th>
                <th scope="col">{t('columns.created')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((campaign) => {
                const progress = campaign.progress ?? { total: campaign.report.valid, finished: 0 };
                return (
                  <tr key={campaign.id}>
                    <td>
                      <Link to={campaign.status === 'draft' && can(user, 'manager') ? `/campaigns/${campaign.id}/edit` : `/campaigns/${campaign.id}`}>{campaign.name}</Link>
                    </td>
                    <td>
                      <Badge kind="status" value={campaign.status} />
                    </td>
                    <td>
                      <Progress value={progress.total ? progress.finished / progress.total : 0} label={t('progressOf', { name: campaign.name })} />
                    </td>
                    <td className="num">{formatNumber(progress.total)}</td>
                    <td>{formatTime(campaign.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
