import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

const PREFIX = 'whsec_';

/** A new signing secret as Standard Webhooks libraries take it: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

/** A secret made since deliveries follow Standard Webhooks: 32 bytes in standard base64. */
const STANDARD_SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

/**
 * The key a secret stands for: the bytes after `whsec_`. Secrets made before Standard Webhooks were
 * written in URL-safe base64, which Node reads too (their receivers should rotate them: libraries read
 * the standard alphabet only).
 */
const keyOf = (secret: string): Uint8Array =>
  Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/**
 * The headers of a delivery by the Standard Webhooks specification (standardwebhooks.com):
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, one `v1,<base64>`
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` per secret in force (two while a rotated secret's grace
 * period runs), separated by spaces. Signed by the specification's own library.
 */
export function standardWebhookHeaders(
  secrets: readonly string[],
  id: string,
  at: Date,
  body: string,
): Record<string, string> {
  // Whole seconds, as the header carries them: the signed timestamp is the one sent.
  const timestamp = new Date(Math.floor(at.getTime() / 1000) * 1000);
  const seconds = String(timestamp.getTime() / 1000);
  const [current] = secrets;
  return {
    'webhook-id': id,
    'webhook-timestamp': seconds,
    'webhook-signature': secrets
      .map((secret) => new Webhook(keyOf(secret), { format: 'raw' }).sign(id, timestamp, body))
      .join(' '),
    // Deprecated: the headers of Bascule's own former scheme, for receivers of an endpoint whose
    // secret predates Standard Webhooks (no library reads that secret), until it is rotated.
    ...(current === undefined || STANDARD_SECRET.test(current)
      ? {}
      : {
          'bascule-webhook-id': id,
          'bascule-webhook-timestamp': seconds,
          'bascule-signature': `v1=${createHmac('sha256', current).update(`${id}.${seconds}.${body}`).digest('hex')}`,
        }),
  };
}
