import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DncPage } from '../../client/types';

type Entry = DncPage['items'][number];

/** Where a number came from: `api`, `user:<email>`, `upload:<file>` or `call:<call id>`. */
export function DncSource({ entry }: { entry: Entry }) {
  const { t } = useTranslation('dnc');
  const [kind, ...rest] = entry.source.split(':');
  const who = rest.join(':');
  if (kind === 'call' || entry.sourceCallId) {
    const callId = entry.sourceCallId ?? who;
    return (
      <>
        {t('source.call')} (<Link to={`/calls/${encodeURIComponent(callId)}`}>{t('openCall')}</Link>)
      </>
    );
  }
  if (kind === 'user' || kind === 'upload') return <>{t(`source.${kind}`, { who })}</>;
  return <>{kind === 'api' ? t('source.api') : entry.source}</>;
}
