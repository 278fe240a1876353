import { createHmac, randomBytes } from 'node:crypto';

/**
 * The opaque secrets Bascule hands out. Each kind has a recognisable prefix (so secret scanners and
 * people can tell what leaked) and, for API tokens, a checksum that rejects typos and random strings
 * without a database lookup. Only an HMAC of a secret is ever stored: a database dump without the
 * server's BASCULE_TOKEN_HASH_KEY holds nothing that can be replayed.
 */
export const TOKEN_PREFIXES = {
  apiToken: 'bsc_',
  refreshToken: 'bsr_',
  invitation: 'bsi_',
  oidcExchange: 'bso_',
} as const;
export type TokenKind = keyof typeof TOKEN_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 32;
const CHECKSUM_LENGTH = 6;

function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    // Rejection sampling keeps every character equally likely (62 does not divide 256).
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

/** CRC-32 (IEEE), the checksum GitHub-style tokens carry; not a security measure, a typo catcher. */
function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit += 1) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(body: string): string {
  let value = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i += 1) {
    out = ALPHABET[value % 62] + out;
    value = Math.floor(value / 62);
  }
  return out;
}

/** A new secret of the given kind: prefix + 32 random base62 characters (190 bits) + checksum. */
export function generateSecret(kind: TokenKind): string {
  const body = randomBase62(BODY_LENGTH);
  return `${TOKEN_PREFIXES[kind]}${body}${checksum(body)}`;
}

/** Whether a string is well formed for its kind: right prefix, length, alphabet and checksum. */
export function isWellFormedSecret(kind: TokenKind, secret: string): boolean {
  const prefix = TOKEN_PREFIXES[kind];
  if (!secret.startsWith(prefix) || secret.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH) return false;
  const rest = secret.slice(prefix.length);
  if (!/^[0-9A-Za-z]+$/.test(rest)) return false;
  const body = rest.slice(0, BODY_LENGTH);
  return rest.slice(BODY_LENGTH) === checksum(body);
}

/** Short, non-secret handle shown in lists so people can tell their tokens apart ("bsc_4fK9"). */
export function displayPrefix(secret: string): string {
  return secret.slice(0, secret.indexOf('_') + 5);
}

/** The keyed hash under which a secret is stored and looked up. */
export class SecretHasher {
  constructor(private readonly key: string) {}

  hash(secret: string): string {
    return createHmac('sha256', this.key).update(secret, 'utf8').digest('base64url');
  }
}
