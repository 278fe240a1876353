import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { setRequestLanguage } from '../api/client';
import { type Language, LANGUAGES, type MessageKey, messages } from './messages';

const STORAGE_KEY = 'bascule.language';

/** French when the browser prefers it (before English), English otherwise; a choice made here wins. */
export function preferredLanguage(
  stored: string | null = localStorage.getItem(STORAGE_KEY),
  browser: readonly string[] = navigator.languages,
): Language {
  if (stored === 'fr' || stored === 'en') return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'en') return base;
  }
  return 'en';
}

export type Translate = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;

interface I18n {
  readonly language: Language;
  readonly setLanguage: (language: Language) => void;
  readonly t: Translate;
  /** Numbers, percentages and dates in the reader's language. */
  readonly formatNumber: (value: number, options?: Intl.NumberFormatOptions) => string;
  readonly formatPercent: (share: number) => string;
  /** A `YYYY-MM-DD` day, written the reader's way (no time zone shift). */
  readonly formatDay: (day: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { readonly children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const preferred = preferredLanguage();
    setRequestLanguage(preferred);
    return preferred;
  });
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    // Before the re-render: the requests it starts already say the new language.
    setRequestLanguage(next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = messages[language];
    const numbers = new Intl.NumberFormat(language);
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 0 });
    const days = new Intl.DateTimeFormat(language, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    return {
      language,
      setLanguage,
      t: (key, values) =>
        values === undefined
          ? dictionary[key]
          : dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
              name in values ? String(values[name]) : whole,
            ),
      formatNumber: (number, options) =>
        options === undefined ? numbers.format(number) : new Intl.NumberFormat(language, options).format(number),
      formatPercent: (share) => percent.format(share),
      formatDay: (day) =>
        day === null || day === undefined || day === '' ? '—' : days.format(new Date(`${day}T00:00:00Z`)),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (context === null) throw new Error('useI18n outside I18nProvider');
  return context;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('language.label')}</span>
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {LANGUAGES.map((code) => (
          <option key={code} value={code}>
            {code === 'fr' ? 'Français' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}
