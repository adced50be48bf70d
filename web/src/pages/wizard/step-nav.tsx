import { useTranslation } from 'react-i18next';

interface StepNavProps {
  back?: () => void;
  /** Without `onNext` the Next button submits the step's form. */
  onNext?: () => void;
  nextLabel?: string;
  busy?: boolean;
  disabled?: boolean;
}

/** Back and Next at the foot of a step. */
export function StepNav({ back, onNext, nextLabel, busy, disabled }: StepNavProps) {
  const { t } = useTranslation();
  return (
    <div className="row spread step-nav">
      {back ? (
        <button type="button" className="button" onClick={back}>
          {t('actions.back')}
        </button>
      ) : (
        <span />
      )}
      <button type={onNext ? 'button' : 'submit'} className="button primary" onClick={onNext} disabled={busy || disabled} aria-busy={busy || undefined}>
        {nextLabel ?? t('actions.next')}
      </button>
    </div>
  );
}
