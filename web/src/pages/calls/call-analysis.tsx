import { useTranslation } from 'react-i18next';
import type { CallAnalysis as Analysis } from './types';

const asText = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
};

/** The provider's post-call analysis (ElevenLabs' evaluation criteria and collected data). */
export function CallAnalysis({ analysis }: { analysis: Analysis }) {
  const { t } = useTranslation('calls');
  return (
    <section className="card call-section" aria-labelledby="call-analysis">
      <h2 id="call-analysis">{t('detail.analysis')}</h2>
      {analysis.summary && (
        <>
          <h3>{t('detail.summary')}</h3>
          <p>{analysis.summary}</p>
        </>
      )}
      {analysis.evaluation.length > 0 && (
        <div className="table-wrap">
          <table data-testid="evaluation">
            <caption>{t('detail.evaluation')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('detail.criterion')}</th>
                <th scope="col">{t('detail.result')}</th>
                <th scope="col">{t('detail.rationale')}</th>
              </tr>
            </thead>
            <tbody>
              {analysis.evaluation.map((item) => (
                <tr key={item.criterion}>
                  <th scope="row">{item.criterion}</th>
                  <td>
                    <span className={`badge badge-${item.result === 'failure' ? 'failed' : item.result}`}>
                      {t(`detail.results.${item.result}`, { defaultValue: item.result })}
                    </span>
                  </td>
                  <td>{item.rationale ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {analysis.dataCollection.length > 0 && (
        <div className="table-wrap">
          <table data-testid="data-collection">
            <caption>{t('detail.dataCollection')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('detail.field')}</th>
                <th scope="col">{t('detail.value')}</th>
                <th scope="col">{t('detail.rationale')}</th>
              </tr>
            </thead>
            <tbody>
              {analysis.dataCollection.map((item) => (
                <tr key={item.field}>
                  <th scope="row">{item.field}</th>
                  <td>{asText(item.value)}</td>
                  <td>{item.rationale ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
