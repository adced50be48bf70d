import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import type { Campaign } from '../../client/types';
import { ErrorAlert } from '../../ui/alert';
import { ConfirmButton } from '../../ui/confirm-button';
import { statsKey } from './use-live-stats';

type Action = 'pause' | 'resume' | 'cancel';

/** What each state allows; the API refuses the rest with CAMPAIGN_STATE_CONFLICT anyway. */
const ALLOWED: Record<Campaign['status'], Action[]> = {
  draft: [],
  scheduled: ['cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  cancelling: [],
  cancelled: [],
  completed: [],
};

const send = (id: string, action: Action) => {
  const options = { params: { path: { id } } };
  if (action === 'pause') return unwrap(api.POST('/v1/campaigns/{id}/pause', options));
  if (action === 'resume') return unwrap(api.POST('/v1/campaigns/{id}/resume', options));
  return unwrap(api.POST('/v1/campaigns/{id}/cancel', options));
};

/** Pause, resume and cancel, each behind a confirmation naming the campaign; `status` is the live one. */
export function CampaignActions({ campaign, status }: { campaign: Campaign; status: Campaign['status'] }) {
  const { t } = useTranslation('campaigns');
  const queries = useQueryClient();
  const action = useMutation({
    mutationFn: (chosen: Action) => send(campaign.id, chosen),
    onSettled: () => {
      void queries.invalidateQueries({ queryKey: ['campaign', campaign.id] });
      void queries.invalidateQueries({ queryKey: statsKey(campaign.id) });
    },
  });
  const allowed = ALLOWED[status];
  if (allowed.length === 0) return null;
  const label = { pause: t('detail.pause'), resume: t('detail.resume'), cancel: t('detail.cancel') };
  const question = {
    pause: t('detail.confirmPause', { name: campaign.name }),
    resume: t('detail.confirmResume', { name: campaign.name }),
    cancel: t('detail.confirmCancel', { name: campaign.name }),
  };
  return (
    <div className="stack">
      <div className="row">
        {allowed.map((chosen) => (
          <ConfirmButton
            key={chosen}
            label={label[chosen]}
            question={question[chosen]}
            danger={chosen === 'cancel'}
            disabled={action.isPending}
            onConfirm={() => action.mutate(chosen)}
          />
        ))}
      </div>
      <ErrorAlert error={action.error} />
    </div>
  );
}
