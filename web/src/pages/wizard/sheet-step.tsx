import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../client/http';
import { unwrap } from '../../client/problem';
import { ErrorAlert, Notice } from '../../ui/alert';
import { formatNumber } from '../../ui/format';
import { useColumns, useDraftChanged } from './queries';
import { StepNav } from './step-nav';
import type { StepProps } from './types';

/** The worksheet of an .xlsx; a CSV has one and the step only says so. */
export function SheetStep({ campaign, back, next }: StepProps) {
  const { t } = useTranslation('wizard');
  const columns = useColumns(campaign.id);
  const changed = useDraftChanged();
  const [chosen, setChosen] = useState<string>();
  const sheet = chosen ?? columns.data?.sheet ?? undefined;
  const save = useMutation({
    mutationFn: (name: string) => unwrap(api.PUT('/v1/campaigns/{id}/sheet', { params: { path: { id: campaign.id } }, body: { sheet: name } })),
    onSuccess: (updated) => {
      changed(updated);
      next();
    },
  });
  const sheets = columns.data?.sheets ?? [];
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        if (sheet && sheet !== columns.data?.sheet) save.mutate(sheet);
        else next();
      }}
    >
      <h2>{t('sheet.heading')}</h2>
      <ErrorAlert error={columns.error ?? save.error} />
      {columns.isPending && <p className="muted">{t('common:state.loading')}</p>}
      {columns.data && (
        <Notice>
          <p>
            {t(columns.data.sheet ? 'sheet.uploaded' : 'sheet.uploadedCsv', {
              file: campaign.sourceFileName ?? '',
              count: campaign.report.total,
              rows: formatNumber(campaign.report.total),
              sheet: columns.data.sheet,
            })}
          </p>
        </Notice>
      )}
      {columns.data && sheets.length === 0 && <p>{t('sheet.csv')}</p>}
      {columns.data && sheets.length === 1 && <p>{t('sheet.only', { sheet: sheets[0] })}</p>}
      {sheets.length > 1 && (
        <fieldset>
          <legend>{t('sheet.legend')}</legend>
          {sheets.map((name) => (
            <label key={name} className="choice">
              <input type="radio" name="sheet" value={name} checked={sheet === name} onChange={() => setChosen(name)} /> {name}
            </label>
          ))}
          <p className="hint">{t('sheet.changeNote')}</p>
        </fieldset>
      )}
      <StepNav back={back} busy={save.isPending} disabled={!columns.data} />
    </form>
  );
}
