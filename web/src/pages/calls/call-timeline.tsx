import { useTranslation } from 'react-i18next';
import { formatClock } from '../../ui/format';
import type { TimelineEvent } from './types';

// The dedupe key and the provider's ids are for machines; the Temporal link is where to dig into them.
const HIDDEN = new Set(['kind', 'at', 'key', 'providerCallId', 'startedAt', 'by']);

/** What a fact adds beyond its kind, in one line (the post-call data is shown as the analysis). */
function detailOf(event: TimelineEvent): string {
  if (event.kind === 'post_call_data' || !event.fact || typeof event.fact !== 'object') return '';
  const rest = Object.entries(event.fact).filter(([key, value]) => !HIDDEN.has(key) && value !== null && typeof value !== 'object');
  return rest.map(([key, value]) => `${key}: ${String(value)}`).join(', ');
}

/** The call's facts in the order they arrived, as the API lists them. */
export function CallTimeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation('calls');
  return (
    <section className="card call-section" aria-labelledby="call-timeline">
      <h2 id="call-timeline">{t('detail.timeline')}</h2>
      {events.length === 0 ? (
        <p className="muted">{t('detail.timelineNone')}</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {events.map((event, index) => (
            <li key={`${event.at}-${index}`} data-kind={event.kind}>
              <time dateTime={event.at}>{formatClock(event.at)}</time>
              <strong>{t(`detail.facts.${event.kind}`, { defaultValue: event.kind })}</strong>
              <span className="muted">{detailOf(event)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
