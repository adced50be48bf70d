import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { CallFilters } from './call-filters';
import { CallsTable } from './calls-table';
import { filtersFrom, pageSizeFrom } from './filters';
import './calls.css';

/**
 * The tenant's calls, newest first, one keyset page at a time: at 100,000 calls the page holds only
 * what "Load more" has fetched, and the filters run in the API.
 */
export function CallsPage() {
  const { t } = useTranslation('calls');
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const limit = pageSizeFrom(params);
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: () => unwrap(api.GET('/v1/campaigns')) });
  const list = useInfiniteQuery({
    queryKey: ['calls', filters, limit],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET('/v1/calls', { params: { query: { ...filters, limit, ...(pageParam ? { cursor: pageParam } : {}) } } })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const calls = list.data?.pages.flatMap((page) => page.items) ?? [];
  const names = new Map(campaigns.data?.items.map((campaign) => [campaign.id, campaign.name]));
  const filtered = Object.keys(filters).length > 0;
  return (
    <>
      <h1>{t('title')}</h1>
      <CallFilters filters={filters} campaigns={campaigns.data?.items ?? []} error={list.error} />
      <ErrorAlert error={list.error} />
      {list.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {list.data && calls.length === 0 && <p>{filtered ? t('noMatch') : t('none')}</p>}
      {calls.length > 0 && (
        <>
          <CallsTable calls={calls} campaignName={(id) => names.get(id)} />
          <div className="row spread calls-more">
            <p className="muted" role="status">
              {t('shown', { count: calls.length })}
            </p>
            {list.hasNextPage && (
              <button type="button" className="button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {list.isFetchingNextPage ? t('common:state.loading') : t('common:actions.loadMore')}
              </button>
            )}
          </div>
        </>
      )}
    </>
  );
}
