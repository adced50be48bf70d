import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert, Notice } from '../../ui/alert';
import { formatTime } from '../../ui/format';

/** One stored event with the body exactly as the provider sent it; a failed or orphaned one can be delivered again. */
export function InboxEvent({ id }: { id: number }) {
  const { t } = useTranslation('inbox');
  const queries = useQueryClient();
  const event = useQuery({
    queryKey: ['inbox-event', id],
    queryFn: () => unwrap(api.GET('/v1/webhook-inbox/{id}', { params: { path: { id: String(id) } } })),
  });
  const redeliver = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/webhook-inbox/{id}/redeliver', { params: { path: { id: String(id) } } })),
    onSuccess: (redelivered) => {
      queries.setQueryData(['inbox-event', id], redelivered);
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    },
  });
  if (event.error) return <ErrorAlert error={event.error} />;
  if (!event.data) return <p className="muted">{t('common:state.loading')}</p>;
  const undeliverable = event.data.status === 'failed' || event.data.status === 'orphaned';
  return (
    <section className="card" aria-labelledby="payload-title">
      <div className="row spread">
        <h2 id="payload-title">{t('payload', { id })}</h2>
        {undeliverable && (
          <button type="button" className="button" disabled={redeliver.isPending} onClick={() => redeliver.mutate()}>
            {t('redeliver')}
          </button>
        )}
      </div>
      <ErrorAlert error={redeliver.error} />
      {redeliver.data && <Notice>{t('redelivered', { status: t(`status.${redeliver.data.status}`) })}</Notice>}
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
