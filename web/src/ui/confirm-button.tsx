import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

interface ConfirmButtonProps {
  label: string;
  /** The opening button's accessible name, when `label` alone is ambiguous (a Remove per row). */
  ariaLabel?: string;
  question: string;
  onConfirm: () => void;
  danger?: boolean;
  disabled?: boolean;
}

/** A button that asks first, in a modal dialog (focus trapped, Escape closes it). */
export function ConfirmButton({ label, ariaLabel, question, onConfirm, danger, disabled }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" className={danger ? 'button danger' : 'button'} disabled={disabled} aria-label={ariaLabel} onClick={() => dialog.current?.showModal()}>
        {label}
      </button>
      <dialog ref={dialog} aria-label={question}>
        <p>{question}</p>
        <form method="dialog" className="row">
          <button className="button">{t('actions.cancel')}</button>
          <button
            className={danger ? 'button danger' : 'button primary'}
            onClick={(event) => {
              event.preventDefault();
              dialog.current?.close();
              onConfirm();
            }}
          >
            {label}
          </button>
        </form>
      </dialog>
    </>
  );
}
