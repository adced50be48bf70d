import { useTranslation } from 'react-i18next';
import type { Campaign } from '../../client/types';
import { formatTime } from '../../ui/format';

/** What the campaign was set up with, as the wizard stored it. */
export function CampaignSettings({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation('campaigns');
  const { config } = campaign;
  const window = config.callingWindow;
  return (
    <section className="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{t('detail.settings')}</h2>
      <dl className="settings">
        <dt>{t('detail.file')}</dt>
        <dd>{campaign.sourceFileName ?? '—'}</dd>
        <dt>{t('detail.callType')}</dt>
        <dd>{config.callType}</dd>
        <dt>{t('detail.provider')}</dt>
        <dd>{config.provider}</dd>
        <dt>{t('detail.language')}</dt>
        <dd>{config.language}</dd>
        <dt>{t('detail.window')}</dt>
        <dd>
          {window.start}–{window.end} ({config.timezone})
        </dd>
        <dt>{t('detail.concurrency')}</dt>
        <dd>{config.maxConcurrentCalls}</dd>
        <dt>{t('detail.cps')}</dt>
        <dd>{config.callsPerSecond}</dd>
        {campaign.startAt && (
          <>
            <dt>{t('detail.startAt')}</dt>
            <dd>{formatTime(campaign.startAt)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
