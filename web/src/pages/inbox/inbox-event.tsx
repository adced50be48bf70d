import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { formatTime } from '../../ui/format';

/** One stored event with the body exactly as the provider sent it. */
export function InboxEvent({ id }: { id: number }) {
  const { t } = useTranslation('inbox');
  const event = useQuery({
    queryKey: ['inbox-event', id],
    queryFn: () => unwrap(api.GET('/v1/webhook-inbox/{id}', { params: { path: { id: String(id) } } })),
  });
  if (event.error) return <ErrorAlert error={event.error} />;
  if (!event.data) return <p className="muted">{t('common:state.loading')}</p>;
  return (
    <section className="card" aria-labelledby="payload-title">
      <h2 id="payload-title">{t('payload', { id })}</h2>
      <dl className="inbox-facts">
        <dt>{t('key')}</dt>
        <dd>
          <code>{event.data.eventKey}</code>
        </dd>
        <dt>{t('delivered')}</dt>
        <dd>{formatTime(event.data.deliveredAt)}</dd>
      </dl>
      <pre className="payload" tabIndex={0}>
        {JSON.stringify(event.data.payload, null, 2)}
      </pre>
    </section>
  );
}
