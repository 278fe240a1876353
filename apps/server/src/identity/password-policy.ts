/**
 * What a password must be, after NIST SP 800-63B: long enough, not absurdly long, not one of the
 * passwords attackers try first, not the account's own email. No composition rules: they push
 * people to predictable patterns without adding strength.
 */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'azertyuiopqs',
  'password1234',
  'passwordpassword',
  'motdepasse123',
  'motdepassemotdepasse',
  'iloveyou1234',
  'administrator',
  'administrateur',
  'changeme1234',
  'welcome12345',
  'bienvenue123',
  'letmein12345',
  'qwerty123456',
  'azerty123456',
  '000000000000',
  '111111111111',
  'abcdefghijkl',
  'soleil123456',
  'bonjour12345',
]);

/** Returns why the password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `the password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `the password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  const lowered = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lowered)) return 'this password is among the most common ones: choose another';
  if (new Set(lowered).size <= 3) return 'the password repeats too few different characters';
  const localPart = email.split('@')[0]?.toLowerCase() ?? '';
  if (lowered === email.toLowerCase() || (localPart.length >= 4 && lowered.includes(localPart))) {
    return 'the password must not contain your email address';
  }
  return undefined;
}

/** Lower-case, trimmed, Unicode-normalised: one account per mailbox, whatever the spelling. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

const EMAIL_PATTERN = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

export function isPlausibleEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}
