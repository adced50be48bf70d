import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CallDetail } from '../../client/types';
import { Badge } from '../../ui/badge';
import { formatSeconds, formatTime } from '../../ui/format';
import { TransferSummary } from './transfer-summary';

const formatCost = (cost: number | null) =>
  cost === null ? '—' : new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 }).format(cost);

/** Who was called, for which campaign, and how it went. */
export function CallHeader({ call, campaignName }: { call: CallDetail; campaignName: string | undefined }) {
  const { t } = useTranslation('calls');
  return (
    <dl className="card call-facts">
      <div>
        <dt>{t('detail.campaign')}</dt>
        <dd>
          <Link to={`/campaigns/${call.campaignId}`}>{campaignName ?? call.campaignId}</Link>
        </dd>
      </div>
      <div>
        <dt>{t('detail.status')}</dt>
        <dd data-testid="call-status">
          <Badge kind="status" value={call.status} />
        </dd>
      </div>
      <div>
        <dt>{t('detail.outcome')}</dt>
        <dd>
          <Badge kind="outcome" value={call.outcome} />
        </dd>
      </div>
      <div>
        <dt>{t('detail.label')}</dt>
        <dd>
          <Badge kind="label" value={call.label} />
        </dd>
      </div>
      <div>
        <dt>{t('detail.duration')}</dt>
        <dd>{formatSeconds(call.durationSeconds)}</dd>
      </div>
      {call.transfer && (
        <div>
          <dt>{t('detail.transfer')}</dt>
          <dd>
            <TransferSummary call={call} withNumber />
          </dd>
        </div>
      )}
      <div>
        <dt>{t('detail.cost')}</dt>
        <dd className="num-text">{formatCost(call.cost)}</dd>
      </div>
      <div>
        <dt>{t('detail.started')}</dt>
        <dd>{formatTime(call.startedAt)}</dd>
      </div>
      <div>
        <dt>{t('detail.provider')}</dt>
        <dd>
          {call.provider}
          {call.attempt > 1 && ` · ${t('detail.attempt')} ${call.attempt}`}
        </dd>
      </div>
      {call.sipCode !== null && (
        <div>
          <dt>{t('detail.sip')}</dt>
          <dd>{call.sipCode}</dd>
        </div>
      )}
      {call.hangupCause && (
        <div>
          <dt>{t('detail.hangupCause')}</dt>
          <dd>{call.hangupCause}</dd>
        </div>
      )}
      {call.amdStatus && (
        <div>
          <dt>{t('detail.amd')}</dt>
          <dd>
            {call.amdStatus}
            {call.amdCause && ` (${call.amdCause})`}
          </dd>
        </div>
      )}
    </dl>
  );
}
