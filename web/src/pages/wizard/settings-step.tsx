import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { problemOf, unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { Field } from '../../ui/field';
import { useDraftChanged } from './queries';
import { configOf, formOf, type SettingsForm } from './settings-form';
import { useFocusFirstInvalid } from './focus-invalid';
import { StepNav } from './step-nav';
import { CALL_TYPES, PROVIDERS, SCRIPT_LANGUAGES, type StepProps } from './types';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/** Call type, provider, language, calling window, pace, retries, transfer: the whole config, saved at once. */
export function SettingsStep({ campaign, back, next }: StepProps) {
  const { t } = useTranslation('wizard');
  const changed = useDraftChanged();
  const [form, setForm] = useState(() => formOf(campaign.config));
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/v1/campaigns/{id}/config', { params: { path: { id: campaign.id } }, body: configOf(campaign.config, form) })),
    onSuccess: (updated) => {
      changed(updated);
      next();
    },
  });
  const set = <K extends keyof SettingsForm>(key: K, value: SettingsForm[K]) => setForm((before) => ({ ...before, [key]: value }));
  const text = (key: keyof SettingsForm) => ({
    value: form[key] as string,
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => set(key, event.target.value as never),
  });
  const error = save.error;
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);
  // A refinement of the whole window (start before end) has the window itself as its path.
  const windowError = problemOf(error)?.fieldError('callingWindow');
  return (
    <form
      ref={formRef}
      className="card settings"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <h2>{t('settings.heading')}</h2>
      <ErrorAlert error={error} />
      <div className="grid">
        <Field label={t('settings.name')} path="name" error={error}>
          {(props) => <input {...props} required maxLength={200} {...text('name')} />}
        </Field>
        <Field label={t('settings.callType')} path="callType" error={error}>
          {(props) => (
            <select {...props} value={form.callType} onChange={(e) => set('callType', e.target.value as SettingsForm['callType'])}>
              {CALL_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`settings.callTypes.${type}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('settings.provider')} path="provider" error={error}>
          {(props) => (
            <select {...props} value={form.provider} onChange={(e) => set('provider', e.target.value as SettingsForm['provider'])}>
              {PROVIDERS.map((provider) => (
                <option key={provider} value={provider}>
                  {provider}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('settings.language')} path="language" error={error}>
          {(props) => (
            <select {...props} value={form.language} onChange={(e) => set('language', e.target.value as SettingsForm['language'])}>
              {SCRIPT_LANGUAGES.map((language) => (
                <option key={language} value={language}>
                  {t(`settings.languages.${language}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('settings.defaultCountry')} path="defaultCountry" error={error} hint={t('settings.defaultCountryHint')}>
          {(props) => <input {...props} maxLength={2} autoCapitalize="characters" {...text('defaultCountry')} />}
        </Field>
      </div>

      <fieldset className={windowError ? 'window-invalid' : undefined}>
        <legend>{t('settings.window')}</legend>
        <p className="hint">{t('settings.windowHint')}</p>
        <div className="grid">
          <Field label={t('settings.start')} path="callingWindow.start" error={error}>
            {(props) => <input {...props} inputMode="numeric" placeholder="09:00" {...text('start')} />}
          </Field>
          <Field label={t('settings.end')} path="callingWindow.end" error={error}>
            {(props) => <input {...props} inputMode="numeric" placeholder="20:00" {...text('end')} />}
          </Field>
          <Field label={t('settings.timezone')} path="timezone" error={error} hint={t('settings.timezoneHint')}>
            {(props) => <input {...props} list="time-zones" {...text('timezone')} />}
          </Field>
        </div>
        <datalist id="time-zones">
          {TIME_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
        <fieldset className="days">
          <legend>{t('settings.days')}</legend>
          {WEEKDAYS.map((day) => (
            <label key={day} className="choice">
              <input
                type="checkbox"
                checked={form.days.includes(day)}
                onChange={(e) => set('days', e.target.checked ? [...form.days, day] : form.days.filter((d) => d !== day))}
              />{' '}
              {t(`settings.weekdays.${day}`)}
            </label>
          ))}
          {problemOf(error)?.fieldError('callingWindow.days') && <small className="field-error">{problemOf(error)?.fieldError('callingWindow.days')}</small>}
        </fieldset>
        {windowError && <small className="field-error">{windowError}</small>}
      </fieldset>

      <fieldset>
        <legend>{t('settings.pace')}</legend>
        <div className="grid">
          <Field label={t('settings.concurrency')} path="maxConcurrentCalls" error={error}>
            {(props) => <input {...props} type="number" min={1} max={1000} step={1} {...text('maxConcurrentCalls')} />}
          </Field>
          <Field label={t('settings.cps')} path="callsPerSecond" error={error}>
            {(props) => <input {...props} type="number" min={0.1} max={100} step="any" {...text('callsPerSecond')} />}
          </Field>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('settings.retry')}</legend>
        <div className="grid">
          <Field label={t('settings.maxAttempts')} path="retry.maxAttempts" error={error}>
            {(props) => <input {...props} type="number" min={1} max={10} step={1} {...text('maxAttempts')} />}
          </Field>
          <Field label={t('settings.busyDelay')} path="retry.busyDelayMinutes" error={error}>
            {(props) => <input {...props} type="number" min={0} step="any" {...text('busyDelayMinutes')} />}
          </Field>
          <Field label={t('settings.noAnswerDelay')} path="retry.noAnswerDelayMinutes" error={error}>
            {(props) => <input {...props} type="number" min={0} step="any" {...text('noAnswerDelayMinutes')} />}
          </Field>
        </div>
        <label className="choice">
          <input type="checkbox" checked={form.retryVoicemail} onChange={(e) => set('retryVoicemail', e.target.checked)} /> {t('settings.retryVoicemail')}
        </label>
      </fieldset>

      <Field label={t('settings.transfer')} path="transferNumber" error={error} hint={t('settings.transferHint')}>
        {(props) => <input {...props} type="tel" autoComplete="off" {...text('transferNumber')} />}
      </Field>
      <StepNav back={back} busy={save.isPending} />
    </form>
  );
}
