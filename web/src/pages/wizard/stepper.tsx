import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STEPS, type Step } from './types';

/** Where the manager is; once a draft exists every step is a link, since each reads the stored draft. */
export function Stepper({ current, campaignId }: { current: Step; campaignId?: string }) {
  const { t } = useTranslation('wizard');
  return (
    <nav aria-label={t('steps.label')}>
      <ol className="steps">
        {STEPS.map((step, index) => {
          const label = `${index + 1}. ${t(`steps.${step}`)}`;
          const isCurrent = step === current;
          const reachable = campaignId && step !== 'upload' && !isCurrent;
          return (
            <li key={step} aria-current={isCurrent ? 'step' : undefined} className={index < STEPS.indexOf(current) ? 'done' : undefined}>
              {reachable ? <Link to={`/campaigns/${campaignId}/edit?step=${step}`}>{label}</Link> : label}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
