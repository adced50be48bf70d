import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { common } from './common.messages';
import { campaigns } from '../pages/campaigns/messages';
import { wizard } from '../pages/wizard/messages';
import { calls } from '../pages/calls/messages';
import { dnc } from '../pages/dnc/messages';
import { inbox } from '../pages/inbox/messages';

export const LANGUAGES = ['en', 'tr'] as const;
export type Language = (typeof LANGUAGES)[number];

const CHOSEN_LANGUAGE = 'outdial.language';

/** The header's language switch: the choice outlives the session on this browser. */
export function chooseLanguage(language: string): void {
  localStorage.setItem(CHOSEN_LANGUAGE, language);
  void i18n.changeLanguage(language);
}

/** One namespace per page folder, each with its English and Turkish text side by side. */
const namespaces = { common, campaigns, wizard, calls, dnc, inbox };

const resources = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    Object.fromEntries(Object.entries(namespaces).map(([name, messages]) => [name, messages[language]])),
  ]),
);

/** The browser's language picks the first one; the switch in the header stores the choice. */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    // Only a choice made with the switch is stored: the browser's language is read afresh each visit.
    detection: { order: ['localStorage', 'navigator'], caches: [], lookupLocalStorage: CHOSEN_LANGUAGE },
  });

i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.resolvedLanguage ?? 'en';

export default i18n;
