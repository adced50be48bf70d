import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../ui/format';
import { StepNav } from './step-nav';
import type { StepProps } from './types';

/** What became of each row under the saved mapping, and the refused rows to fix in the file. */
export function ReportStep({ campaign, back, next }: StepProps) {
  const { t } = useTranslation('wizard');
  const report = campaign.report;
  const missing = report.errors.filter((error) => error.code === 'MISSING_VARIABLE').length;
  const tiles = [
    ['total', report.total],
    ['valid', report.valid],
    ['invalid', report.invalid],
    ['duplicates', report.duplicates],
    ['dnc', report.dnc],
    ['missing', missing],
  ] as const;
  return (
    <section className="card">
      <h2>{t('report.heading')}</h2>
      <dl className="stats report-stats">
        {tiles.map(([name, value]) => (
          <div key={name} className={`stat stat-${name}`} data-testid={`report-${name}`}>
            <dt className="name">{t(`report.${name}`)}</dt>
            <dd className="value">{formatNumber(value)}</dd>
          </div>
        ))}
      </dl>
      {report.valid === 0 && (
        <div role="alert" className="alert alert-warn">
          <p>{t('report.noneValid')}</p>
        </div>
      )}
      {report.errors.length === 0 ? (
        <p>{t('report.allGood')}</p>
      ) : (
        <>
          <div className="row spread">
            <h3>{t('report.problems')}</h3>
            <a className="button" href={`/v1/campaigns/${campaign.id}/report/rejected`} download>
              {t('report.download')}
            </a>
          </div>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('report.row')}
                  </th>
                  <th scope="col">{t('report.column')}</th>
                  <th scope="col">{t('report.problem')}</th>
                  <th scope="col">{t('report.value')}</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((error) => (
                  <tr key={`${error.row}-${error.code}-${error.column}`}>
                    <td className="num">{error.row}</td>
                    <td>{error.column}</td>
                    <td>
                      <span className={`badge badge-row-${error.code.toLowerCase()}`}>{t(`report.codes.${error.code}`)}</span>{' '}
                      <span className="muted">{error.message}</span>
                    </td>
                    <td>{error.value || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.errorsOmitted > 0 && <p className="muted">{t('report.omitted', { count: report.errorsOmitted })}</p>}
        </>
      )}
      <StepNav back={back} onNext={next} />
    </section>
  );
}
