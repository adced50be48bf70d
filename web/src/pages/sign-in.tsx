import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, setCsrfToken } from '../client/http';
import { unwrap } from '../client/problem';
import { LanguageSwitch } from '../layout/shell';
import { SESSION_KEY } from '../session/session';
import { ErrorAlert } from '../ui/alert';
import { Field } from '../ui/field';

export function SignInPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/auth/login', { body: { email, password } })),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queries.setQueryData(SESSION_KEY, session.user);
    },
  });
  return (
    <main id="main" className="sign-in">
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          signIn.mutate();
        }}
      >
        <div className="row spread">
          <h1>{t('signIn.title')}</h1>
          <LanguageSwitch />
        </div>
        <ErrorAlert error={signIn.error} />
        <Field label={t('signIn.email')} path="email" error={signIn.error}>
          {(props) => <input {...props} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label={t('signIn.password')} path="password" error={signIn.error}>
          {(props) => (
            <input {...props} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          )}
        </Field>
        <button className="button primary" disabled={signIn.isPending}>
          {signIn.isPending ? t('signIn.submitting') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
