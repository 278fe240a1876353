/**
 * The languages Bascule writes in. Everything the product itself writes (templates, automatic
 * risks, catalog texts, demo data, reports, e-mails) exists in each, and is written in the
 * language of the person it is for.
 */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The people Bascule is for are French: French when nothing says otherwise. */
export const DEFAULT_LANGUAGE: Language = 'fr';

/** A text in every language. */
export type Localized = Readonly<Record<Language, string>>;

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);

/** The text in `language`. */
export const pick = (text: Localized, language: Language): string => text[language];

/**
 * The language an HTTP Accept-Language header prefers among ours (`fr-FR,fr;q=0.9,en;q=0.8` is
 * French), by quality then order; `fallback` when it names none of them or is absent.
 */
export function languageOf(header: string | null | undefined, fallback: Language = DEFAULT_LANGUAGE): Language {
  if (header === null || header === undefined) return fallback;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const quality = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((q) => q !== undefined);
      return {
        base: tag.trim().toLowerCase().split('-')[0],
        quality: quality === undefined ? 1 : Number(quality),
        index,
      };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranked.map((entry) => entry.base).find(isLanguage) ?? fallback;
}

/**
 * The language of the machine a process runs on (LC_ALL, LC_MESSAGES, LANG, as POSIX orders them):
 * `en_GB.UTF-8` is English; French when none of them names one of ours (C, POSIX, unset).
 */
export function systemLanguage(env: Readonly<Record<string, string | undefined>>): Language {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const base = value.toLowerCase().split(/[_.@-]/)[0];
    return isLanguage(base) ? base : DEFAULT_LANGUAGE;
  }
  return DEFAULT_LANGUAGE;
}
