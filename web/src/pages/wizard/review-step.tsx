import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { Field } from '../../ui/field';
import { formatNumber, formatTime } from '../../ui/format';
import { campaignKey } from './queries';
import type { StepProps } from './types';

/** The draft at a glance, then start it now or at a chosen time. */
export function ReviewStep({ campaign, back }: StepProps) {
  const { t } = useTranslation('wizard');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [startAt, setStartAt] = useState('');
  const config = campaign.config;
  // datetime-local is the browser's local time; the API wants an instant.
  const startIso = when === 'later' && startAt ? new Date(startAt).toISOString() : undefined;
  const start = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/campaigns/{id}/start', { params: { path: { id: campaign.id } }, body: startIso ? { startAt: startIso } : {} })),
    onSuccess: (started) => {
      queries.setQueryData(campaignKey(started.id), started);
      void queries.invalidateQueries({ queryKey: ['campaigns'] });
      void navigate(`/campaigns/${started.id}`);
    },
  });
  const days =
    config.callingWindow.days.length === 7 ? t('review.everyDay') : config.callingWindow.days.map((day) => t(`settings.weekdays.${day}`)).join(', ');
  const rows: [string, string][] = [
    [t('review.name'), campaign.name],
    [t('review.file'), campaign.sourceFileName ?? '—'],
    [t('review.contacts'), formatNumber(campaign.report.valid)],
    [t('review.callType'), t(`settings.callTypes.${config.callType}`)],
    [t('review.provider'), config.provider],
    [t('review.language'), t(`settings.languages.${config.language}`)],
    [t('review.window'), t('review.windowValue', { start: config.callingWindow.start, end: config.callingWindow.end, days, timezone: config.timezone })],
    [t('review.pace'), t('review.paceValue', { concurrency: config.maxConcurrentCalls, cps: config.callsPerSecond })],
    [t('review.retry'), String(config.retry.maxAttempts)],
    [t('review.transfer'), config.transferNumber ?? t('review.none')],
  ];
  const nobody = campaign.report.valid === 0;
  const missingTime = when === 'later' && !startIso;
  const count = formatNumber(campaign.report.valid);
  return (
    <section className="card">
      <h2>{t('review.heading')}</h2>
      <dl className="summary">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {nobody && (
        <div role="alert" className="alert alert-warn">
          <p>{t('review.noContacts')}</p>
        </div>
      )}
      <fieldset>
        <legend>{t('review.when')}</legend>
        <label className="choice">
          <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} /> {t('review.now')}
        </label>
        <label className="choice">
          <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} /> {t('review.later')}
        </label>
        {when === 'later' && (
          <Field label={t('review.startAt')} path="startAt" error={start.error} hint={missingTime ? t('review.pickTime') : undefined}>
            {(props) => <input {...props} type="datetime-local" value={startAt} onChange={(e) => setStartAt(e.target.value)} />}
          </Field>
        )}
      </fieldset>
      <ErrorAlert error={start.error} />
      <div className="row spread step-nav review-nav">
        {back ? (
          <button type="button" className="button" onClick={back}>
            {t('common:actions.back')}
          </button>
        ) : (
          <span />
        )}
        <ConfirmButton
          label={start.isPending ? t('review.starting') : when === 'later' ? t('review.schedule') : t('review.startNow')}
          question={
            startIso
              ? t('review.confirmSchedule', { name: campaign.name, count, when: formatTime(startIso) })
              : t('review.confirmStart', { name: campaign.name, count })
          }
          disabled={nobody || missingTime || start.isPending}
          onConfirm={() => start.mutate()}
        />
      </div>
    </section>
  );
}
