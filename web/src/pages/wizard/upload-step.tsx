import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { problemOf, ProblemError } from '../../client/problem';
import type { Campaign } from '../../client/types';
import { uploadWithProgress } from '../../client/upload';
import { ErrorAlert } from '../../ui/alert';
import { Field } from '../../ui/field';
import { Progress } from '../../ui/progress';
import { campaignKey } from './queries';

const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

/** The first step: the file (and a name) becomes a draft, so that leaving now keeps it. */
export function UploadStep() {
  const { t } = useTranslation('wizard');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [over, setOver] = useState(false);
  const [progress, setProgress] = useState(0);
  const upload = useMutation({
    mutationFn: () => {
      if (!file) throw new ProblemError({ status: 0, code: 'FILE_REQUIRED' });
      const form = new FormData();
      form.append('file', file);
      if (name.trim()) form.append('config', JSON.stringify({ name: name.trim() }));
      setProgress(0);
      return uploadWithProgress<Campaign>('/v1/campaigns/drafts', form, setProgress);
    },
    onSuccess: (campaign) => {
      queries.setQueryData(campaignKey(campaign.id), campaign);
      void queries.invalidateQueries({ queryKey: ['campaigns'] });
      void navigate(`/campaigns/${campaign.id}/edit?step=sheet`);
    },
  });
  return (
    <form
      className="card"
      onSubmit={(event) => {
        event.preventDefault();
        upload.mutate();
      }}
    >
      <h2>{t('upload.heading')}</h2>
      <p className="muted">{t('upload.intro')}</p>
      <UploadError error={upload.error} />
      <Field label={t('upload.name')} path="name" error={upload.error} hint={t('upload.nameHint')}>
        {(props) => <input {...props} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <div
        className={over ? 'dropzone over' : 'dropzone'}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(event) => {
          event.preventDefault();
          setOver(false);
          const dropped = event.dataTransfer.files[0];
          if (dropped) setFile(dropped);
        }}
      >
        <p>
          {t('upload.drop')}{' '}
          <label className="file-pick">
            {t('upload.choose')}
            <input className="visually-hidden" type="file" name="file" accept={ACCEPT} onChange={(e) => setFile(e.target.files?.[0])} />
          </label>
        </p>
        {file && <p data-testid="chosen-file">{t('upload.chosen', { name: file.name, size: Math.max(1, Math.round(file.size / 1024)) })}</p>}
      </div>
      {upload.isPending && <Progress value={progress} label={t('upload.progress')} />}
      <div className="row spread step-nav">
        <span />
        <button className="button primary" disabled={upload.isPending || !file}>
          {upload.isPending ? t('upload.uploading') : t('upload.submit')}
        </button>
      </div>
    </form>
  );
}

/** A file the import refused, said in the manager's terms; anything else as the API says it. */
function UploadError({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation('wizard');
  const code = problemOf(error)?.problem.code;
  const key = `upload.problems.${code}`;
  if (!code || !i18n.exists(key, { ns: 'wizard' })) return <ErrorAlert error={error} />;
  return (
    <div role="alert" className="alert alert-error">
      <p>{t(key)}</p>
    </div>
  );
}
