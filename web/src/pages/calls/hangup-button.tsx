import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert, Notice } from '../../ui/alert';
import { ConfirmButton } from '../../ui/confirm-button';

/** Asks the call's workflow to hang up; the call's page shows it end as the facts arrive. */
export function HangupButton({ callId, number }: { callId: string; number: string }) {
  const { t } = useTranslation('calls');
  const queries = useQueryClient();
  const hangup = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/calls/{callId}/hangup', { params: { path: { callId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['call', callId] }),
  });
  return (
    <div>
      <ConfirmButton
        danger
        label={t('detail.hangup')}
        question={t('detail.confirmHangup', { number })}
        disabled={hangup.isPending || hangup.isSuccess}
        onConfirm={() => hangup.mutate()}
      />
      <ErrorAlert error={hangup.error} />
      {hangup.isSuccess && <Notice>{t('detail.hangupSent')}</Notice>}
    </div>
  );
}
