import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import type { Campaign } from '../../client/types';

export const campaignKey = (id: string) => ['campaign', id] as const;

export function useDraft(id: string) {
  return useQuery({ queryKey: campaignKey(id), queryFn: () => unwrap(api.GET('/v1/campaigns/{id}', { params: { path: { id } } })) });
}

export function useColumns(id: string) {
  return useQuery({
    queryKey: [...campaignKey(id), 'columns'],
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/columns', { params: { path: { id } } })),
  });
}

/**
 * After a change that rebuilt the draft: the answer is the new campaign, and everything read from
 * its contacts (columns, opening lines) is stale.
 */
export function useDraftChanged() {
  const queries = useQueryClient();
  return (campaign: Campaign) => {
    queries.setQueryData(campaignKey(campaign.id), campaign);
    void queries.invalidateQueries({ queryKey: campaignKey(campaign.id), predicate: (query) => query.queryKey.length > 2 });
    void queries.invalidateQueries({ queryKey: ['campaigns'] });
  };
}
