import { useTranslation } from 'react-i18next';
import { NavLink, Outlet } from 'react-router';
import { chooseLanguage, LANGUAGES } from '../i18n/i18n';
import { can, useSignOut, useUser } from '../session/session';

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t('user.language')}</span>
      <select value={i18n.resolvedLanguage} onChange={(event) => chooseLanguage(event.target.value)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {language === 'tr' ? 'Türkçe' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Every signed-in page: the navigation, who is signed in with which role, the language, sign-out. */
export function Shell() {
  const { t } = useTranslation();
  const user = useUser();
  const signOut = useSignOut();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.main')}
      </a>
      <header className="topbar">
        <span className="brand">{t('appName')}</span>
        <nav aria-label={t('nav.main')}>
          <NavLink to="/campaigns" end>
            {t('nav.campaigns')}
          </NavLink>
          {can(user, 'manager') && <NavLink to="/campaigns/new">{t('nav.newCampaign')}</NavLink>}
          <NavLink to="/calls">{t('nav.calls')}</NavLink>
          <NavLink to="/dnc">{t('nav.dnc')}</NavLink>
          {user.role === 'admin' && <NavLink to="/inbox">{t('nav.inbox')}</NavLink>}
        </nav>
        <div className="user">
          <span className="who" title={`${user.email} · ${user.tenantName}`}>
            {user.email} · {user.tenantName}
          </span>
          <span data-testid="role">{t('user.role', { role: t(`roles.${user.role}`) })}</span>
          <LanguageSwitch />
          <button type="button" className="button link" onClick={() => void signOut()}>
            {t('user.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

export { LanguageSwitch };
