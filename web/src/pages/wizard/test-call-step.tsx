import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert, Notice } from '../../ui/alert';
import { Field } from '../../ui/field';
import { useFocusFirstInvalid } from './focus-invalid';
import { StepNav } from './step-nav';
import type { StepProps } from './types';

/** A call to the manager's own phone with the first contact's row; it belongs to no contact. */
export function TestCallStep({ campaign, back, next }: StepProps) {
  const { t } = useTranslation('wizard');
  const [toNumber, setToNumber] = useState('');
  const form = useRef<HTMLFormElement>(null);
  const call = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/campaigns/{id}/test-call', { params: { path: { id: campaign.id } }, body: { toNumber } })),
  });
  useFocusFirstInvalid(form, call.error);
  return (
    <section className="card">
      <h2>{t('test.heading')}</h2>
      <p className="muted">{t('test.intro')}</p>
      <form
        ref={form}
        className="row test-call"
        onSubmit={(event) => {
          event.preventDefault();
          call.mutate();
        }}
      >
        <Field label={t('test.toNumber')} path="toNumber" error={call.error}>
          {(props) => <input {...props} type="tel" autoComplete="tel" required value={toNumber} onChange={(e) => setToNumber(e.target.value)} />}
        </Field>
        <button className="button" disabled={call.isPending}>
          {call.isPending ? t('test.calling') : t('test.submit')}
        </button>
      </form>
      <ErrorAlert error={call.error} />
      {call.data && (
        <Notice>
          <p>
            {t('test.placed', { toNumber: call.data.toNumber })} <Link to={`/calls/${call.data.callId}`}>{t('test.open')}</Link>{' '}
            <code className="muted">{call.data.callId}</code>
          </p>
        </Notice>
      )}
      <p className="hint">{t('test.skip')}</p>
      <StepNav back={back} onNext={next} />
    </section>
  );
}
