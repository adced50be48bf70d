import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { useUser } from '../../session/session';
import { ErrorAlert, Notice } from '../../ui/alert';
import { formatTime } from '../../ui/format';
import { LoadMore } from '../../ui/load-more';
import { InboxEvent } from './inbox-event';
import './inbox.css';

const STATUSES = ['orphaned', 'failed', 'pending', 'delivered'] as const;
const PROVIDERS = ['elevenlabs', 'ultravox', 'asterisk'] as const;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined =>
  values.includes(value as T) ? (value as T) : undefined;

/**
 * The tenant admin's view of the webhook inbox, newest first, narrowed to the orphaned or failed
 * events an operator looks for; filters and the open event are kept in the address to be shared.
 */
export function InboxPage() {
  const { t } = useTranslation('inbox');
  const user = useUser();
  const [params, setParams] = useSearchParams();
  const status = oneOf(STATUSES, params.get('status'));
  const provider = oneOf(PROVIDERS, params.get('provider'));
  const open = Number(params.get('event')) || undefined;
  const list = useInfiniteQuery({
    queryKey: ['inbox', status, provider],
    enabled: user.role === 'admin',
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/webhook-inbox', { params: { query: { status, provider, ...(pageParam ? { before: pageParam } : {}), limit: 50 } } })),
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
  if (user.role !== 'admin') return <Notice>{t('adminOnly')}</Notice>;
  const events = list.data?.pages.flatMap((page) => page.items) ?? [];
  const choose = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value);
      else next.delete(name);
    }
    setParams(next);
  };

  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <form className="row" aria-label={t('title')} onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('filters.status')}{' '}
          <select value={status ?? ''} onChange={(event) => choose({ status: event.target.value || undefined, event: undefined })}>
            <option value="">{t('common:any')}</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`status.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('filters.provider')}{' '}
          <select value={provider ?? ''} onChange={(event) => choose({ provider: event.target.value || undefined, event: undefined })}>
            <option value="">{t('common:any')}</option>
            {PROVIDERS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorAlert error={list.error} />
      {list.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {list.data && events.length === 0 && <p>{t('none')}</p>}
      {events.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('columns.received')}</th>
                <th scope="col">{t('columns.provider')}</th>
                <th scope="col">{t('columns.type')}</th>
                <th scope="col">{t('columns.call')}</th>
                <th scope="col">{t('columns.status')}</th>
                <th scope="col">{t('columns.reason')}</th>
                <th scope="col" className="num">
                  {t('columns.attempts')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('show')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id} className={event.id === open ? 'open' : undefined}>
                  <td>{formatTime(event.receivedAt)}</td>
                  <td>{event.provider}</td>
                  <td>{event.eventType}</td>
                  <td>{event.callId ? <Link to={`/calls/${encodeURIComponent(event.callId)}`}>{event.callId.slice(0, 8)}</Link> : '—'}</td>
                  <td>{t(`status.${event.status}`)}</td>
                  <td>{event.reason ?? '—'}</td>
                  <td className="num">{event.attempts}</td>
                  <td>
                    <button type="button" className="button" aria-label={t('showLabel', { id: event.id })} onClick={() => choose({ event: String(event.id) })}>
                      {t('show')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={list} />
      {open && <InboxEvent id={open} />}
    </>
  );
}
