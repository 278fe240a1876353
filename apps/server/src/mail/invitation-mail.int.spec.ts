import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import { graphql } from '../../../../test/support/http.js';
import { bearer, graphqlAs, type SignedUp, signUp, uniqueEmail } from '../../../../test/support/identity.js';
import { startSmtpServer, type TestSmtpServer } from '../../../../test/support/smtp.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';

const INVITE =
  'mutation($i: InviteMemberInput!, $l: Language) { inviteMember(input: $i, language: $l) { acceptUrl token emailed } }';
const ACCEPT = 'mutation($t: String!) { acceptInvitation(token: $t) { organization { id } role } }';

interface Invited {
  readonly inviteMember: { acceptUrl: string; token: string; emailed: boolean };
}

describe('invitations by e-mail', () => {
  let smtp: TestSmtpServer;
  let testApp: TestApp;
  let baseUrl: string;
  let owner: SignedUp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    testApp = await startTestApp({
      BASCULE_SMTP_URL: smtp.url,
      BASCULE_PUBLIC_URL: 'https://bascule.example.fr',
      BASCULE_MAIL_RETRY_BASE_MS: '100',
    });
    baseUrl = testApp.baseUrl;
    owner = await signUp(baseUrl, { displayName: 'Claire <Dupont>', organizationName: 'CHU & Co' });
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  const received = (email: string) =>
    eventually(() => {
      const mails = smtp.to(email);
      expect(mails).toHaveLength(1);
      return mails[0]!;
    });

  /** The token of the one link to Bascule in the e-mail's text, as a person would follow it. */
  const tokenIn = (mail: ParsedMail) => {
    const links = mail.text!.match(/https:\/\/bascule\.example\.fr\/\S+/g) ?? [];
    expect(links).toHaveLength(1);
    const url = new URL(links[0]!);
    expect(url.pathname).toBe('/invitations/accept');
    return new URLSearchParams(url.hash.slice(1)).get('token')!;
  };

  it('sends the link in French, and the link brings a new person in', async () => {
    const email = uniqueEmail('nouvelle');
    const invited = await graphqlAs<Invited>(baseUrl, owner.tokens.accessToken, INVITE, {
      i: { email, role: 'ADMIN' },
      l: 'fr',
    });
    expect(invited.data!.inviteMember.emailed).toBe(true);
    const rows = await testApp.app.get(DataSource).getRepository(MailOutboxEntity).findBy({ toAddress: email });
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'invitation',
        language: 'fr',
        organizationId: owner.organizationId,
        userId: null,
      }),
    ]);

    const mail = await received(email);
    expect(mail.subject).toBe('Invitation à rejoindre CHU & Co sur Bascule');
    expect(mail.text).toContain(
      'Claire <Dupont> vous invite à rejoindre CHU & Co sur Bascule, avec le rôle Administrateur.',
    );
    expect(mail.text).toContain('expire dans 7 jours');
    expect(mail.html).toContain('Claire &lt;Dupont&gt; vous invite à rejoindre CHU &amp; Co');
    expect(mail.html).toContain('Accepter l’invitation</a>');
    const token = tokenIn(mail);
    expect(token).toBe(invited.data!.inviteMember.token);

    const joined = await signUp(baseUrl, { email, invitationToken: token });
    expect(joined.organizationId).toBe(owner.organizationId);
    const members = await graphqlAs<{ members: { user: { email: string }; role: string }[] }>(
      baseUrl,
      owner.tokens.accessToken,
      '{ members { user { email } role } }',
    );
    expect(members.data!.members).toContainEqual({ user: { email }, role: 'ADMIN' });
  });

  it('sends it in English when asked, and an existing user accepts it', async () => {
    const existing = await signUp(baseUrl);
    const invited = await graphqlAs<Invited>(baseUrl, owner.tokens.accessToken, INVITE, {
      i: { email: existing.email },
      l: 'en',
    });
    expect(invited.data!.inviteMember.emailed).toBe(true);
    const mail = await received(existing.email);
    expect(mail.subject).toBe('Invitation to join CHU & Co on Bascule');
    expect(mail.text).toContain('Claire <Dupont> invites you to join CHU & Co on Bascule, with the Member role.');
    expect(mail.text).toContain('expires in 7 days');
    const accepted = await graphqlAs(baseUrl, existing.tokens.accessToken, ACCEPT, { t: tokenIn(mail) });
    expect(accepted.data).toEqual({ acceptInvitation: { organization: { id: owner.organizationId }, role: 'MEMBER' } });
  });

  it('writes in the inviter’s language when none is asked', async () => {
    const email = uniqueEmail('by-header');
    const invited = await graphql<Invited>(
      baseUrl,
      INVITE,
      { i: { email } },
      { ...bearer(owner.tokens.accessToken), 'accept-language': 'en-GB,en;q=0.9' },
    );
    expect(invited.errors).toBeUndefined();
    expect((await received(email)).subject).toBe('Invitation to join CHU & Co on Bascule');
  });

  it('puts no e-mail in the outbox when the invitation is refused', async () => {
    const existing = await signUp(baseUrl, { organizationName: 'Elsewhere' });
    await graphqlAs(baseUrl, owner.tokens.accessToken, INVITE, { i: { email: existing.email } });
    await graphqlAs(baseUrl, existing.tokens.accessToken, ACCEPT, { t: tokenIn(await received(existing.email)) });
    const again = await graphqlAs(baseUrl, owner.tokens.accessToken, INVITE, { i: { email: existing.email } });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const rows = await testApp.app
      .get(DataSource)
      .getRepository(MailOutboxEntity)
      .findBy({ toAddress: existing.email });
    expect(rows).toHaveLength(1);
  });
});
