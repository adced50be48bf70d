import { useTranslation } from 'react-i18next';
import type { CallItem } from './types';
import { Badge } from '../../ui/badge';
import { formatSeconds } from '../../ui/format';

/**
 * A call's transfer to a human: how far it got and, once the human answered, how long they talked.
 * ElevenLabs leaves the call when the human joins and reports nothing of that leg, which is said
 * rather than shown as an unknown.
 */
export function TransferSummary({ call, withNumber = false }: { call: CallItem; withNumber?: boolean }) {
  const { t } = useTranslation('calls');
  const { transfer } = call;
  if (!transfer) return <span className="muted">—</span>;
  const humanLeg =
    transfer.humanSeconds !== null
      ? t('detail.humanLeg', { duration: formatSeconds(transfer.humanSeconds) })
      : call.provider === 'elevenlabs'
        ? t('detail.humanLegNotReported')
        : null;
  return (
    <span className="transfer-summary" data-testid="call-transfer">
      {withNumber && `${transfer.to} · `}
      <Badge kind="transfer" value={transfer.stage} />
      {transfer.stage === 'answered' && humanLeg && ` · ${humanLeg}`}
    </span>
  );
}
