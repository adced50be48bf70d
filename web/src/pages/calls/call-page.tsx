import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { can, useUser } from '../../session/session';
import { ErrorAlert, Notice } from '../../ui/alert';
import { CallAnalysis } from './call-analysis';
import { CallHeader } from './call-header';
import { CallTimeline } from './call-timeline';
import { CallTranscript } from './call-transcript';
import { CallTurns } from './call-turns';
import { LIVE } from './filters';
import { HangupButton } from './hangup-button';
import './calls.css';

/** One call: what happened, what was said, the provider's analysis and the recording; refreshed while live. */
export function CallPage() {
  const { t } = useTranslation('calls');
  const { callId = '' } = useParams();
  const user = useUser();
  const call = useQuery({
    queryKey: ['call', callId],
    queryFn: () => unwrap(api.GET('/v1/calls/{callId}', { params: { path: { callId } } })),
    refetchInterval: (query) => (query.state.data && LIVE.has(query.state.data.status) ? 2000 : false),
  });
  const campaignId = call.data?.campaignId;
  const campaign = useQuery({
    queryKey: ['campaign', campaignId],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id: campaignId ?? '' } } })),
    enabled: campaignId !== undefined,
  });
  const live = call.data !== undefined && LIVE.has(call.data.status);
  return (
    <>
      <p>
        <Link to="/calls">← {t('detail.back')}</Link>
      </p>
      <ErrorAlert error={call.error} />
      {call.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {call.data && (
        <>
          <div className="row spread">
            <h1>{t('detail.title', { number: call.data.toNumber })}</h1>
            <div className="row">
              <a className="button" href={call.data.temporalUiUrl} target="_blank" rel="noreferrer">
                {t('detail.temporal')}
              </a>
              {live && can(user, 'manager') && <HangupButton callId={call.data.callId} number={call.data.toNumber} />}
            </div>
          </div>
          {live && <Notice>{t('detail.live')}</Notice>}
          <CallHeader call={call.data} campaignName={campaign.data?.name} />
          {call.data.recordingUrl && (
            <section className="card call-section" aria-labelledby="call-recording">
              <h2 id="call-recording">{t('detail.recording')}</h2>
              {/* Always this API's path, never the provider's: the API fetches it with the tenant's key. */}
              <audio controls preload="none" src={`/v1/calls/${call.data.callId}/recording`} aria-label={t('detail.recordingOf', { number: call.data.toNumber })} />
            </section>
          )}
          <div className="call-columns">
            <div>
              <CallTurns turns={call.data.turns} labels={call.data.labels} />
              <CallTranscript lines={call.data.transcript} />
            </div>
            <div>
              {call.data.analysis && <CallAnalysis analysis={call.data.analysis} />}
              <CallTimeline events={call.data.timeline} />
            </div>
          </div>
        </>
      )}
    </>
  );
}
