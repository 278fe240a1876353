import { describe, expect, it } from '@jest/globals';
import { testConfig } from '../../../../test/support/config.js';
import { SmtpTransport } from './smtp-transport.js';

describe('SMTP failures as the delivery log keeps them', () => {
  it('hide the password in every form it travels in', () => {
    const password = 'p@ss word/é';
    const transport = new SmtpTransport(
      testConfig({ BASCULE_SMTP_URL: `smtps://relay%40example.fr:${encodeURIComponent(password)}@smtp.example.fr` }),
    );
    const forms = [
      password,
      encodeURIComponent(password),
      Buffer.from(password).toString('base64'),
      Buffer.from(`\0relay@example.fr\0${password}`).toString('base64'),
    ];
    const described = transport.describe(new Error(`535 rejected:\n${forms.join(' | ')}`));
    expect(described).toBe('535 rejected: *** | *** | *** | ***');
  });

  it('keep one line of at most 500 characters', () => {
    const transport = new SmtpTransport(testConfig({ BASCULE_SMTP_URL: 'smtp://smtp.example.fr' }));
    expect(transport.describe(new Error(`a\r\nb ${'x'.repeat(600)}`))).toMatch(/^a b x{496}$/);
    expect(transport.describe('plain')).toBe('plain');
  });
});
