import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert, Notice } from '../../ui/alert';
import { Field } from '../../ui/field';

/** Numbers typed or pasted, one per line or comma separated, added in one request. */
export function DncAddForm() {
  const { t } = useTranslation('dnc');
  const queries = useQueryClient();
  const [phones, setPhones] = useState('');
  const [reason, setReason] = useState('');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/dnc', {
          body: { phones: phones.split(/[\n,;]+/).map((phone) => phone.trim()).filter(Boolean), ...(reason ? { reason } : {}) },
        }),
      ),
    onSuccess: (result) => {
      // What was refused stays in the box to be corrected; what was added leaves it.
      setPhones(result.invalid.map((invalid) => invalid.value).join('\n'));
      void queries.invalidateQueries({ queryKey: ['dnc'] });
    },
  });
  return (
    <form
      className="card"
      aria-labelledby="dnc-add-title"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate();
      }}
    >
      <h2 id="dnc-add-title">{t('add.title')}</h2>
      <ErrorAlert error={add.error} />
      {add.data && (
        <Notice>
          <p>{t('add.result', { added: add.data.added, already: add.data.alreadyListed })}</p>
          {add.data.invalid.map((invalid) => (
            <p key={invalid.value}>{t('invalid', invalid)}</p>
          ))}
        </Notice>
      )}
      <Field label={t('add.phones')} path="phones" error={add.error} hint={t('add.phonesHint')}>
        {(props) => <textarea {...props} rows={3} required value={phones} onChange={(event) => setPhones(event.target.value)} />}
      </Field>
      <Field label={t('add.reason')} path="reason" error={add.error}>
        {(props) => <input {...props} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />}
      </Field>
      <button className="button primary" disabled={add.isPending}>
        {t('add.submit')}
      </button>
    </form>
  );
}
