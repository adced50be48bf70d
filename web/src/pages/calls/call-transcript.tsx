import { useTranslation } from 'react-i18next';
import type { TranscriptLine } from './types';

const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

/** The provider's transcript, agent on the left and the contact on the right. */
export function CallTranscript({ lines }: { lines: TranscriptLine[] }) {
  const { t } = useTranslation('calls');
  return (
    <section className="card call-section" aria-labelledby="call-transcript">
      <h2 id="call-transcript">{t('detail.transcript')}</h2>
      {lines.length === 0 ? (
        <p className="muted">{t('detail.transcriptNone')}</p>
      ) : (
        <ol className="transcript" data-testid="transcript">
          {lines.map((line, index) => (
            <li key={index} className={`turn ${line.role}`}>
              <span className="visually-hidden">{t(`detail.roles.${line.role}`)}: </span>
              {line.message}
              {line.timeInCallSecs !== undefined && <span className="muted transcript-time"> {clock(line.timeInCallSecs)}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
