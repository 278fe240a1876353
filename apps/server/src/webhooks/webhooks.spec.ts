import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { csvCell } from '../audit-api/audit.controller.js';
import { newWebhookSecret, standardWebhookHeaders } from './webhook-signing.js';

describe('webhook signatures (Standard Webhooks)', () => {
  const body = '{"id":"e1","type":"plan.changed"}';

  it('are what the specification’s own library verifies, with the secret as shown', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const headers = standardWebhookHeaders([secret], 'e1', new Date(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow(WebhookVerificationError);
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow(WebhookVerificationError);
  });

  it('sign "<id>.<timestamp>.<body>" with HMAC-SHA256 of the secret’s bytes, in base64', () => {
    const secret = `whsec_${Buffer.from('a key of thirty-two bytes, exact').toString('base64')}`;
    const headers = standardWebhookHeaders([secret], 'e1', new Date(1_764_680_000_500), body);
    const expected = createHmac('sha256', 'a key of thirty-two bytes, exact')
      .update(`e1.1764680000.${body}`)
      .digest('base64');
    expect(headers).toEqual({
      'webhook-id': 'e1',
      'webhook-timestamp': '1764680000',
      'webhook-signature': `v1,${expected}`,
    });
  });

  it('keep the former bascule-signature for an endpoint whose secret predates Standard Webhooks', () => {
    const legacy = 'whsec_AbCdEfGhIjKlMnOpQrStUvWx-_0123456789';
    const headers = standardWebhookHeaders([legacy], 'e3', new Date(1_764_680_000_000), body);
    const expected = createHmac('sha256', legacy).update(`e3.1764680000.${body}`).digest('hex');
    expect(headers).toMatchObject({ 'bascule-webhook-id': 'e3', 'bascule-signature': `v1=${expected}` });
    expect(standardWebhookHeaders([newWebhookSecret()], 'e3', new Date(), body)).not.toHaveProperty(
      'bascule-signature',
    );
  });

  it('carry one signature per secret in force, each verified by its own secret', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = standardWebhookHeaders([current, previous], 'e2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [current, previous]) expect(new Webhook(secret).verify(body, headers)).toBeTruthy();
  });
});

describe('CSV cells of the audit export', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
  });
});
