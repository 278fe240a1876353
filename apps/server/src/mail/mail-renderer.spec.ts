import { describe, expect, it } from '@jest/globals';
import { testConfig } from '../../../../test/support/config.js';
import { MailRenderer } from './mail-renderer.js';

const renderer = new MailRenderer(testConfig({ BASCULE_PUBLIC_URL: 'https://bascule.example.fr' }));

describe('the e-mail layout', () => {
  it('writes its own words in the e-mail’s language, and the server’s address', () => {
    const mail = renderer.render({
      language: 'fr',
      subject: '  Un   sujet\nsur deux lignes ',
      paragraphs: ['Bonjour.'],
      action: { label: 'Ouvrir', url: 'https://bascule.example.fr/plans/1' },
      footer: { reason: 'Vous suivez ce plan.', unsubscribeUrl: 'https://bascule.example.fr/unsubscribe?t=1' },
    });
    expect(mail.subject).toBe('Un sujet sur deux lignes');
    expect(mail.text).toBe(
      [
        'Bonjour.',
        '',
        'Ouvrir:',
        'https://bascule.example.fr/plans/1',
        '',
        '-- ',
        'Vous suivez ce plan.',
        'Se désabonner: https://bascule.example.fr/unsubscribe?t=1',
        'Envoyé par Bascule, https://bascule.example.fr',
        '',
      ].join('\n'),
    );
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain('Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :');
    expect(mail.headers).toEqual({
      'List-Unsubscribe': '<https://bascule.example.fr/unsubscribe?t=1>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('has no unsubscribe header when there is nothing to unsubscribe from', () => {
    expect(renderer.render({ language: 'en', subject: 'S', paragraphs: [] }).headers).toEqual({});
  });

  it('refuses links that are not web addresses', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', '/relative'])
      expect(() =>
        renderer.render({ language: 'en', subject: 'S', paragraphs: [], action: { label: 'Go', url } }),
      ).toThrow(/http\(s\)/);
  });
});
