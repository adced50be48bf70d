import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { can, useUser } from '../../session/session';
import { ErrorAlert, Notice } from '../../ui/alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { Field } from '../../ui/field';
import { formatTime } from '../../ui/format';
import { LoadMore } from '../../ui/load-more';
import { DncAddForm } from './dnc-add-form';
import { DncSource } from './dnc-source';
import { DncUpload } from './dnc-upload';

/** The tenant's do-not-call list: searched by digits (kept in the address), added to, removed from. */
export function DncPage() {
  const { t } = useTranslation('dnc');
  const user = useUser();
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  const list = useInfiniteQuery({
    queryKey: ['dnc', q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/v1/dnc', { params: { query: { ...(q ? { q } : {}), ...(pageParam ? { cursor: pageParam } : {}), limit: 50 } } })),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const remove = useMutation({
    mutationFn: (phone: string) => unwrap(api.DELETE('/v1/dnc/{phone}', { params: { path: { phone } } })).then(() => phone),
    onSettled: () => void queries.invalidateQueries({ queryKey: ['dnc'] }),
  });
  const entries = list.data?.pages.flatMap((page) => page.items) ?? [];
  const manager = can(user, 'manager');

  return (
    <>
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      {manager && (
        <div className="grid">
          <DncAddForm />
          <DncUpload />
        </div>
      )}
      <form
        role="search"
        className="row"
        onSubmit={(event) => {
          event.preventDefault();
          setParams(typed.trim() ? { q: typed.trim() } : {});
        }}
      >
        <Field label={t('search')} path="q" error={list.error} hint={t('searchHint')}>
          {(props) => <input {...props} type="search" inputMode="tel" value={typed} onChange={(event) => setTyped(event.target.value)} />}
        </Field>
        <button className="button">{t('common:actions.search')}</button>
      </form>
      <ErrorAlert error={list.error ?? remove.error} />
      {remove.data && <Notice>{t('remove.done', { phone: remove.data })}</Notice>}
      {list.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {list.data && entries.length === 0 && <p>{q ? t('noMatch') : t('none')}</p>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('columns.phone')}</th>
                <th scope="col">{t('columns.reason')}</th>
                <th scope="col">{t('columns.source')}</th>
                <th scope="col">{t('columns.added')}</th>
                {manager && <th scope="col"><span className="visually-hidden">{t('remove.button')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.phone}>
                  <td>{entry.phone}</td>
                  <td>{entry.reason ?? '—'}</td>
                  <td>
                    <DncSource entry={entry} />
                  </td>
                  <td>{formatTime(entry.createdAt)}</td>
                  {manager && (
                    <td>
                      <ConfirmButton
                        label={t('remove.button')}
                        ariaLabel={t('remove.label', { phone: entry.phone })}
                        question={t('remove.confirm', { phone: entry.phone })}
                        danger
                        disabled={remove.isPending}
                        onConfirm={() => remove.mutate(entry.phone)}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={list} />
    </>
  );
}
