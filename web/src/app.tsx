import { useTranslation } from 'react-i18next';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Shell } from './layout/shell';
import { CallPage } from './pages/calls/call-page';
import { CallsPage } from './pages/calls/calls-page';
import { CampaignPage } from './pages/campaigns/campaign-page';
import { CampaignsPage } from './pages/campaigns/campaigns-page';
import { DncPage } from './pages/dnc/dnc-page';
import { InboxPage } from './pages/inbox/inbox-page';
import { SignInPage } from './pages/sign-in';
import { WizardPage } from './pages/wizard/wizard-page';
import { SessionProvider, useSession } from './session/session';
import { ErrorAlert } from './ui/alert';

const router = createBrowserRouter([
  {
    path: '/',
    element: <Shell />,
    children: [
      { index: true, element: <Navigate to="/campaigns" replace /> },
      { path: 'campaigns', element: <CampaignsPage /> },
      { path: 'campaigns/new', element: <WizardPage /> },
      { path: 'campaigns/:id/edit', element: <WizardPage /> },
      { path: 'campaigns/:id', element: <CampaignPage /> },
      { path: 'calls', element: <CallsPage /> },
      { path: 'calls/:callId', element: <CallPage /> },
      { path: 'dnc', element: <DncPage /> },
      { path: 'inbox', element: <InboxPage /> },
    ],
  },
]);

/** Signed out: the sign-in page, whatever the address (it is kept, and opens after sign-in). */
export function App() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.isPending) return <p className="loading">{t('state.loading')}</p>;
  if (session.error) return <ErrorAlert error={session.error} />;
  if (!session.data) return <SignInPage />;
  return (
    <SessionProvider user={session.data}>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
