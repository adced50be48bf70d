import { useTranslation } from 'react-i18next';
import { Badge } from '../../ui/badge';
import { formatClock } from '../../ui/format';
import type { FlowTurn } from './types';

/** The conversation as the flow runner took it: what was said or keyed, the answer it heard, its reply. */
export function CallTurns({ turns, labels }: { turns: FlowTurn[]; labels: { at: string; label: string }[] }) {
  const { t } = useTranslation('calls');
  return (
    <section className="card call-section" aria-labelledby="call-turns">
      <h2 id="call-turns">{t('detail.turns')}</h2>
      {turns.length === 0 ? (
        <p className="muted">{t('detail.turnsNone')}</p>
      ) : (
        <ol className="call-turns" data-testid="turns">
          {turns.map((turn, index) => (
            <li key={`${turn.at}-${index}`}>
              <div className="row spread">
                <time dateTime={turn.at} className="muted">
                  {formatClock(turn.at)}
                  {turn.tool !== 'flow_turn' && ` · ${turn.tool}`}
                </time>
                <Badge kind="label" value={turn.label} />
              </div>
              <dl className="pairs">
                {turn.utterance !== null && (
                  <>
                    <dt>{t('detail.said')}</dt>
                    <dd>“{turn.utterance}”</dd>
                  </>
                )}
                {turn.dtmf !== null && (
                  <>
                    <dt>{t('detail.keyed')}</dt>
                    <dd className="num-text">{turn.dtmf}</dd>
                  </>
                )}
                <dt>{t('detail.replied')}</dt>
                <dd>
                  {turn.reply}
                  {turn.endCall && <span className="muted"> ({t('detail.endCall')})</span>}
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      )}
      {labels.length > 0 && (
        <>
          <h3>{t('detail.labels')}</h3>
          <ul className="row call-labels" data-testid="labels">
            {labels.map((label, index) => (
              <li key={`${label.at}-${index}`}>
                <Badge kind="label" value={label.label} /> <time dateTime={label.at} className="muted">{formatClock(label.at)}</time>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
