import { describe, expect, it } from '@jest/globals';
import { isPlausibleEmail, normalizeEmail, passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['correct horse battery staple', undefined],
    ['Tr0ub4dor&3xyz', undefined],
    ['short', 'at least 12'],
    ['x'.repeat(257), 'at most 256'],
    ['Password1234', 'most common'],
    ['abababababab', 'too few different'],
    ['jean.dupont-2026!', 'must not contain your email'],
  ])('%s -> %s', (password, problem) => {
    const found = passwordProblem(password, 'jean.dupont@chu-exemple.fr');
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('éèàçùêâîôûëï', 'a@b.fr')).toBeUndefined();
  });
});

describe('emails', () => {
  it('normalises case, spaces and Unicode forms to one spelling', () => {
    expect(normalizeEmail('  Jean.Dupont@CHU-Exemple.FR ')).toBe('jean.dupont@chu-exemple.fr');
    expect(normalizeEmail('ﬁona@example.fr')).toBe('fiona@example.fr');
  });

  it.each([
    ['jean@chu.fr', true],
    ['jean@chu', false],
    ['jean chu@chu.fr', false],
    ['@chu.fr', false],
    [`${'a'.repeat(65)}@chu.fr`, false],
  ])('%s plausible: %s', (email, plausible) => {
    expect(isPlausibleEmail(email)).toBe(plausible);
  });
});
