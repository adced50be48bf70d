import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import type { CampaignStats } from '../../client/types';

export const statsKey = (id: string) => ['campaign-stats', id] as const;

/**
 * The campaign's counters, kept live by its server-sent events: the stream sends the same body as
 * GET stats whenever it changes and ends after the campaign's last state. EventSource reconnects on
 * its own after a dropped connection.
 */
export function useLiveStats(id: string, onStatus: (status: CampaignStats['status']) => void) {
  const queries = useQueryClient();
  const stats = useQuery({ queryKey: statsKey(id), queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/stats', { params: { path: { id } } })) });
  useEffect(() => {
    const events = new EventSource(`/v1/campaigns/${encodeURIComponent(id)}/events`);
    events.addEventListener('progress', (event) => {
      const next = JSON.parse((event as MessageEvent<string>).data) as CampaignStats;
      const previous = queries.getQueryData<CampaignStats>(statsKey(id));
      queries.setQueryData(statsKey(id), next);
      if (previous?.status !== next.status) onStatus(next.status);
      // The stream ends after the last state; without this EventSource would open it again.
      if (next.status === 'completed' || next.status === 'cancelled') events.close();
    });
    return () => events.close();
  }, [id, queries, onStatus]);
  return stats;
}
