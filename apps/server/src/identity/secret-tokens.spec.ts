import { describe, expect, it } from '@jest/globals';
import { displayPrefix, generateSecret, isWellFormedSecret, SecretHasher, TOKEN_PREFIXES } from './secret-tokens.js';

describe('secret tokens', () => {
  it.each(Object.keys(TOKEN_PREFIXES) as (keyof typeof TOKEN_PREFIXES)[])(
    '%s: prefix, base62 body, valid checksum, all different',
    (kind) => {
      const secrets = Array.from({ length: 200 }, () => generateSecret(kind));
      for (const secret of secrets) {
        expect(secret).toMatch(new RegExp(`^${TOKEN_PREFIXES[kind]}[0-9A-Za-z]{38}$`));
        expect(isWellFormedSecret(kind, secret)).toBe(true);
      }
      expect(new Set(secrets).size).toBe(secrets.length);
    },
  );

  it('catches a typo, a truncation and the wrong kind through the checksum and prefix', () => {
    const secret = generateSecret('apiToken');
    const flipped = `${secret.slice(0, 12)}${secret[12] === 'x' ? 'y' : 'x'}${secret.slice(13)}`;
    expect(isWellFormedSecret('apiToken', flipped)).toBe(false);
    expect(isWellFormedSecret('apiToken', secret.slice(0, -1))).toBe(false);
    expect(isWellFormedSecret('refreshToken', secret)).toBe(false);
    expect(isWellFormedSecret('apiToken', `${secret.slice(0, -1)}!`)).toBe(false);
  });

  it('spreads characters evenly over the alphabet (no modulo bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      for (const character of generateSecret('apiToken').slice(4, 36))
        counts.set(character, (counts.get(character) ?? 0) + 1);
    }
    expect(counts.size).toBe(62);
    const expected = (2000 * 32) / 62;
    for (const count of counts.values()) expect(Math.abs(count - expected) / expected).toBeLessThan(0.2);
  });

  it('shows a short prefix that identifies without revealing', () => {
    const secret = generateSecret('apiToken');
    expect(displayPrefix(secret)).toBe(secret.slice(0, 8));
  });

  it('hashes with the key: same key same hash, another key another hash, never the secret itself', () => {
    const secret = generateSecret('refreshToken');
    const hasher = new SecretHasher('k'.repeat(32));
    expect(hasher.hash(secret)).toBe(new SecretHasher('k'.repeat(32)).hash(secret));
    expect(hasher.hash(secret)).not.toBe(new SecretHasher('j'.repeat(32)).hash(secret));
    expect(hasher.hash(secret)).not.toContain(secret.slice(4));
    expect(hasher.hash(secret)).toMatch(/^[\w-]{43}$/);
  });
});
