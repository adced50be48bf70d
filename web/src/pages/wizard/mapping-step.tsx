import { useMutation } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert } from '../../ui/alert';
import { Field } from '../../ui/field';
import { choicesOf, namePath, phonePath, toColumnMapping, variablePath, type ColumnChoice } from './mapping-rules';
import { useColumns, useDraftChanged } from './queries';
import { useFocusFirstInvalid } from './focus-invalid';
import { StepNav } from './step-nav';
import { SCRIPT_VARIABLES, type Column, type ColumnUse, type ColumnWarning, type StepProps } from './types';

const USES: ColumnUse[] = ['phone', 'name', 'variable', 'ignore'];

export function MappingStep(props: StepProps) {
  const { t } = useTranslation('wizard');
  const columns = useColumns(props.campaign.id);
  return (
    <section className="card">
      <h2>{t('mapping.heading')}</h2>
      <ErrorAlert error={columns.error} />
      {columns.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {/* Keyed by the sheet: another sheet's columns start from its own proposal. */}
      {columns.data && <MappingForm key={columns.data.sheet ?? ''} {...props} columns={columns.data.columns} warnings={columns.data.warnings} />}
    </section>
  );
}

function MappingForm({ campaign, back, next, columns, warnings }: StepProps & { columns: Column[]; warnings: ColumnWarning[] }) {
  const { t } = useTranslation('wizard');
  const changed = useDraftChanged();
  const [choices, setChoices] = useState(() => choicesOf(columns));
  const [checked, setChecked] = useState<unknown>();
  const save = useMutation({
    mutationFn: (columnMapping: { phone: string; name: string | null; variables: Record<string, string> }) =>
      unwrap(api.PUT('/v1/campaigns/{id}/mapping', { params: { path: { id: campaign.id } }, body: { columnMapping } })),
    onSuccess: (updated) => {
      changed(updated);
      next();
    },
  });
  const error = checked ?? save.error;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, error);
  const choose = (header: string, change: Partial<ColumnChoice>) => {
    setChecked(undefined);
    setChoices((before) => ({ ...before, [header]: { ...(before[header] ?? { use: 'ignore', variable: '' }), ...change } }));
  };
  // Shown as soon as it is chosen, before anything is stored: the API would refuse it silently.
  const datesAsName = columns.filter((column) => choices[column.header]?.use === 'name' && column.kind === 'date');
  const scriptVariables = SCRIPT_VARIABLES[campaign.config.callType];
  return (
    <form
      ref={form}
      onSubmit={(event) => {
        event.preventDefault();
        const result = toColumnMapping(columns, choices, {
          onePhone: t('mapping.onePhone'),
          oneName: t('mapping.oneName'),
          variableRequired: t('mapping.variableRequired'),
          variableTaken: t('mapping.variableTaken'),
        });
        if (result.problem) setChecked(result.problem);
        else save.mutate(result.mapping);
      }}
    >
      <p className="muted">{t('mapping.intro')}</p>
      <p>{t('mapping.scriptNeeds', { variables: ['name', ...scriptVariables].join(', ') })}</p>
      {datesAsName.map((column) => (
        <div key={column.header} role="alert" className="alert alert-warn" data-testid="dates-as-name">
          <p>{t('mapping.datesAsName', { column: column.header, samples: column.samples.slice(0, 3).join(', ') })}</p>
        </div>
      ))}
      {warnings.length > 0 && (
        <div className="alert alert-warn" data-testid="mapping-warnings">
          <p>
            <strong>{t('mapping.serverWarnings')}</strong>
          </p>
          <ul>
            {warnings.map((warning) => (
              <li key={`${warning.code}-${warning.column}`}>
                {t(`mapping.warnings.${warning.code}`, { column: warning.column, defaultValue: warning.message })}
                {warning.samples.length > 0 && <span className="samples"> ({warning.samples.slice(0, 3).join(', ')})</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
      {checked ? (
        <div role="alert" className="alert alert-error">
          <p>{t('mapping.checkFields')}</p>
        </div>
      ) : (
        <ErrorAlert error={save.error} />
      )}
      <datalist id="script-variables">
        {scriptVariables.map((variable) => (
          <option key={variable} value={variable} />
        ))}
      </datalist>
      <div className="table-wrap">
        <table className="mapping-table">
          <thead>
            <tr>
              <th scope="col">{t('mapping.column')}</th>
              <th scope="col">{t('mapping.samples')}</th>
              <th scope="col">{t('mapping.kind')}</th>
              <th scope="col">{t('mapping.use')}</th>
              <th scope="col">{t('mapping.variable')}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((column) => {
              const choice = choices[column.header] ?? { use: 'ignore', variable: '' };
              const usePath = choice.use === 'phone' ? phonePath : choice.use === 'name' ? namePath : undefined;
              return (
                <tr key={column.header}>
                  <th scope="row">{column.header}</th>
                  <td className="samples">{column.samples.join(' · ') || '—'}</td>
                  <td>
                    <span className={`kind kind-${column.kind}`}>{t(`mapping.kinds.${column.kind}`)}</span>
                  </td>
                  <td>
                    <Field label={t('mapping.useFor', { header: column.header })} path={usePath} error={error}>
                      {(field) => (
                        <select
                          {...field}
                          value={choice.use}
                          onChange={(e) => {
                            const use = e.target.value as ColumnUse;
                            choose(column.header, use === 'variable' && !choice.variable ? { use, variable: suggestedVariable(column.header) } : { use });
                          }}
                        >
                          {USES.map((use) => (
                            <option key={use} value={use}>
                              {t(`mapping.uses.${use}`)}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  </td>
                  <td>
                    {choice.use === 'variable' && (
                      <Field label={t('mapping.variableFor', { header: column.header })} path={variablePath(column.header)} error={error}>
                        {(field) => (
                          <input {...field} list="script-variables" value={choice.variable} onChange={(e) => choose(column.header, { variable: e.target.value })} />
                        )}
                      </Field>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <StepNav back={back} busy={save.isPending} />
    </form>
  );
}

/** "Son Ödeme Tarihi" → "son_odeme_tarihi": a name the manager can keep or replace. */
function suggestedVariable(header: string): string {
  return (
    header
      .toLocaleLowerCase('tr')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/ı/g, 'i')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '') || 'column'
  );
}
