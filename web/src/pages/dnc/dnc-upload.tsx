import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { uploadWithProgress } from '../../client/upload';
import type { DncUploaded } from '../../client/types';
import { ErrorAlert, Notice } from '../../ui/alert';
import { Field } from '../../ui/field';
import { Progress } from '../../ui/progress';

/** A file of numbers (its first column), added with a per-row report of what was refused. */
export function DncUpload() {
  const { t } = useTranslation('dnc');
  const queries = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const upload = useMutation({
    mutationFn: (chosen: File) => {
      const form = new FormData();
      form.append('file', chosen);
      return uploadWithProgress<DncUploaded>('/v1/dnc/upload', form, setSent);
    },
    onSettled: () => void queries.invalidateQueries({ queryKey: ['dnc'] }),
  });
  return (
    <form
      className="card"
      aria-labelledby="dnc-upload-title"
      onSubmit={(event) => {
        event.preventDefault();
        if (file) upload.mutate(file);
      }}
    >
      <h2 id="dnc-upload-title">{t('upload.title')}</h2>
      <ErrorAlert error={upload.error} />
      {upload.data && (
        <Notice>
          <p>{t('upload.result', { added: upload.data.added, already: upload.data.alreadyListed, rejected: upload.data.rejectedCount })}</p>
          {upload.data.rejected.slice(0, 20).map((row) => (
            <p key={row.row}>{t('rejectedRow', row)}</p>
          ))}
        </Notice>
      )}
      <Field label={t('upload.file')} path="file" error={upload.error}>
        {(props) => <input {...props} type="file" required accept=".csv,.xlsx,text/csv" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />}
      </Field>
      {upload.isPending && <Progress value={sent} label={t('upload.title')} />}
      <button className="button primary" disabled={upload.isPending || !file}>
        {t('upload.submit')}
      </button>
    </form>
  );
}
