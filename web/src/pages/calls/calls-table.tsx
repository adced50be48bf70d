import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge } from '../../ui/badge';
import { formatSeconds, formatTime } from '../../ui/format';
import { TransferSummary } from './transfer-summary';
import type { CallItem } from './types';

/** One row a call; the number links to its page. */
export function CallsTable({ calls, campaignName }: { calls: CallItem[]; campaignName: (id: string) => string | undefined }) {
  const { t } = useTranslation('calls');
  return (
    <div className="table-wrap">
      <table className="calls-table">
        <thead>
          <tr>
            <th scope="col">{t('columns.number')}</th>
            <th scope="col">{t('columns.campaign')}</th>
            <th scope="col">{t('columns.status')}</th>
            <th scope="col">{t('columns.outcome')}</th>
            <th scope="col">{t('columns.labels')}</th>
            <th scope="col">{t('columns.started')}</th>
            <th scope="col" className="num">
              {t('columns.duration')}
            </th>
            <th scope="col">{t('columns.transfer')}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr key={call.callId}>
              <td>
                <Link to={`/calls/${call.callId}`} className="call-number">
                  {call.toNumber}
                </Link>
              </td>
              <td>{campaignName(call.campaignId) ?? <span className="muted">—</span>}</td>
              <td>
                <Badge kind="status" value={call.status} />
              </td>
              <td>
                <Badge kind="outcome" value={call.outcome} />
              </td>
              <td>
                <Badge kind="label" value={call.label} />
              </td>
              <td>{formatTime(call.startedAt)}</td>
              <td className="num">{formatSeconds(call.durationSeconds)}</td>
              <td>
                <TransferSummary call={call} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
