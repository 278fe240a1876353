import { describe, expect, it } from '@jest/globals';
import { languageOf, systemLanguage } from './language.js';

describe('languages', () => {
  it.each([
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['en-GB,en;q=0.9,fr;q=0.8', 'en'],
    ['de-DE,en;q=0.5,fr;q=0.9', 'fr'],
    ['de-DE,de;q=0.9', 'fr'],
    ['en;q=0, fr-CA', 'fr'],
    ['EN', 'en'],
    ['', 'fr'],
  ])('reads Accept-Language %j as %s', (header, language) => {
    expect(languageOf(header)).toBe(language);
  });

  it('falls back when the header is absent or names neither', () => {
    expect(languageOf(undefined)).toBe('fr');
    expect(languageOf(null, 'en')).toBe('en');
    expect(languageOf('es', 'en')).toBe('en');
  });

  it('reads the machine’s language as POSIX orders the variables', () => {
    expect(systemLanguage({ LANG: 'en_GB.UTF-8' })).toBe('en');
    expect(systemLanguage({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(systemLanguage({ LANG: 'C.UTF-8' })).toBe('fr');
    expect(systemLanguage({})).toBe('fr');
    expect(systemLanguage({ LC_ALL: 'en_US.UTF-8', LANG: 'fr_FR.UTF-8' })).toBe('en');
    expect(systemLanguage({ LC_ALL: '', LC_MESSAGES: 'fr_BE', LANG: 'en_US' })).toBe('fr');
  });
});
