import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import type { CampaignStats } from '../../client/types';

export const statsKey = (id: string) => ['campaign-stats', id] as const;

/**
 * The campaign's counters, kept live by its server-sent events: the stream sends the body of GET
 * stats when it opens and whenever it changes, and ends after the campaign's last state. GET stats
 * is read only when the stream cannot open (a proxy that drops it): on a campaign of 100,000
 * contacts each read costs the database half a second, so the page does not read twice.
 * EventSource reconnects on its own after a dropped connection.
 */
export function useLiveStats(id: string, onStatus: (status: CampaignStats['status']) => void) {
  const queries = useQueryClient();
  const [streamFailed, setStreamFailed] = useState(false);
  const stats = useQuery({
    queryKey: statsKey(id),
    queryFn: () => unwrap(api.GET('/v1/campaigns/{id}/stats', { params: { path: { id } } })),
    enabled: streamFailed,
  });
  useEffect(() => {
    let heard = false;
    const events = new EventSource(`/v1/campaigns/${encodeURIComponent(id)}/events`);
    events.addEventListener('progress', (event) => {
      heard = true;
      const next = JSON.parse((event as MessageEvent<string>).data) as CampaignStats;
      const previous = queries.getQueryData<CampaignStats>(statsKey(id));
      queries.setQueryData(statsKey(id), next);
      if (previous && previous.status !== next.status) onStatus(next.status);
      // The stream ends after the last state; without this EventSource would open it again.
      if (next.status === 'completed' || next.status === 'cancelled') events.close();
    });
    events.addEventListener('error', () => {
      if (!heard) setStreamFailed(true);
    });
    return () => events.close();
  }, [id, queries, onStatus]);
  return stats;
}
