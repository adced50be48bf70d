import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { can, useUser } from '../../session/session';
import { ErrorAlert, Notice } from '../../ui/alert';
import { MappingStep } from './mapping-step';
import { OpeningStep } from './opening-step';
import { useDraft } from './queries';
import { ReportStep } from './report-step';
import { ReviewStep } from './review-step';
import { SettingsStep } from './settings-step';
import { SheetStep } from './sheet-step';
import { Stepper } from './stepper';
import { TestCallStep } from './test-call-step';
import { isStep, STEPS, type Step, type StepProps } from './types';
import { UploadStep } from './upload-step';
import './wizard.css';

const STEP_VIEWS: Record<Exclude<Step, 'upload'>, (props: StepProps) => React.ReactNode> = {
  sheet: SheetStep,
  mapping: MappingStep,
  report: ReportStep,
  opening: OpeningStep,
  settings: SettingsStep,
  test: TestCallStep,
  review: ReviewStep,
};

/**
 * /campaigns/new uploads the file; every later step is /campaigns/:id/edit?step=…, read from the
 * stored draft, so that leaving half-way and coming back (or reloading) loses nothing saved.
 */
export function WizardPage() {
  const { t } = useTranslation('wizard');
  const user = useUser();
  const { id } = useParams();
  if (!can(user, 'manager')) {
    return (
      <>
        <h1>{t('title')}</h1>
        <Notice>
          <p>{t('viewerOnly', { role: t(`common:roles.${user.role}`) })}</p>
        </Notice>
        <Link to="/campaigns">{t('campaigns:detail.back')}</Link>
      </>
    );
  }
  if (!id) {
    return (
      <>
        <h1>{t('title')}</h1>
        <Stepper current="upload" />
        <UploadStep />
      </>
    );
  }
  return <DraftWizard id={id} />;
}

function DraftWizard({ id }: { id: string }) {
  const { t } = useTranslation('wizard');
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const draft = useDraft(id);
  const asked = search.get('step');
  const step: Exclude<Step, 'upload'> = isStep(asked) && asked !== 'upload' ? asked : 'sheet';
  const index = STEPS.indexOf(step);
  const go = (to: Step | undefined) => {
    if (to && to !== 'upload') void navigate(`/campaigns/${id}/edit?step=${to}`);
  };
  if (draft.isPending) return <p className="muted">{t('common:state.loading')}</p>;
  if (draft.error) return <ErrorAlert error={draft.error} />;
  const campaign = draft.data;
  if (campaign.status !== 'draft') return <Navigate to={`/campaigns/${id}`} replace />;
  const View = STEP_VIEWS[step];
  return (
    <>
      <h1>{t('editTitle', { name: campaign.name })}</h1>
      <Stepper current={step} campaignId={id} />
      <p className="visually-hidden" aria-live="polite">
        {t('stepOf', { n: index + 1, total: STEPS.length })}: {t(`steps.${step}`)}
      </p>
      {/* Keyed by step: each step starts from the stored draft, not from another step's edits. */}
      <View key={step} campaign={campaign} {...(index > 1 ? { back: () => go(STEPS[index - 1]) } : {})} next={() => go(STEPS[index + 1])} />
    </>
  );
}
