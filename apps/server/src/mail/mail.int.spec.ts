import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { eventually } from '../../../../test/support/collab.js';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { graphql } from '../../../../test/support/http.js';
import { addMember, codeOf, graphqlAs, signUp, uniqueEmail } from '../../../../test/support/identity.js';
import { startSmtpServer, type TestSmtpServer } from '../../../../test/support/smtp.js';
import { createApp } from '../app.factory.js';
import { Metrics } from '../metrics/metrics.js';
import { MailOutboxEntity } from './mail-outbox.entity.js';
import { MailOutbox, type OutgoingMail } from './mail-outbox.js';
import { MailRenderer } from './mail-renderer.js';

const FROM = 'Bascule Test <bascule@example.test>';
const DELIVERIES =
  'query($first: Int) { mailDeliveries(first: $first) { id to kind subject status attempts lastError createdAt sentAt } }';
const SERVER_INFO = '{ serverInfo { emailEnabled } }';

/** A rendered e-mail to `to`, with a subject of its own to find it by. */
function mailTo(app: TestApp, to: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  const rendered = app.app.get(MailRenderer).render({
    language: 'en',
    subject: `Test ${to}`,
    paragraphs: ['A test e-mail.'],
  });
  return { ...rendered, to, organizationId: null, userId: null, language: 'en', kind: 'test', ...overrides };
}

async function enqueue(app: TestApp, mails: readonly OutgoingMail[]): Promise<void> {
  await app.app.get(DataSource).transaction((manager) => app.app.get(MailOutbox).enqueueIn(manager, mails));
}

const rowsTo = (app: TestApp, to: string) =>
  app.app.get(DataSource).getRepository(MailOutboxEntity).findBy({ toAddress: to });

describe('e-mail: an outbox sent over SMTP by the worker', () => {
  let smtp: TestSmtpServer;
  let testApp: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    testApp = await startTestApp({
      BASCULE_SMTP_URL: smtp.url,
      BASCULE_MAIL_FROM: FROM,
      BASCULE_MAIL_RETRY_BASE_MS: '100',
    });
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  it('sends a queued e-mail with its subject, text, HTML and headers, escaped in HTML only', async () => {
    const to = uniqueEmail('reader');
    const tricky = 'Risk <script>alert("x")</script> & Co’s';
    const rendered = testApp.app.get(MailRenderer).render({
      language: 'en',
      subject: `Plan <Alpha> & "Beta"`,
      greeting: 'Hello <you>,',
      paragraphs: [tricky, 'Second line\nof the same paragraph.'],
      items: [{ label: 'Plan <A>', detail: 'due & late', url: 'https://bascule.example/plans/1?a=1&b=2' }],
      action: { label: 'Open <it>', url: 'https://bascule.example/plans/1' },
      footer: { reason: 'You follow <this> plan.', unsubscribeUrl: 'https://bascule.example/unsubscribe?t=x&k=y' },
    });
    await enqueue(testApp, [
      { ...rendered, to, organizationId: null, userId: null, language: 'en', kind: 'mentioned' },
    ]);

    const [mail] = await eventually(() => {
      const mails = smtp.to(to);
      expect(mails).toHaveLength(1);
      return mails;
    });
    expect(mail!.subject).toBe('Plan <Alpha> & "Beta"');
    expect(mail!.from?.text).toBe('"Bascule Test" <bascule@example.test>');
    expect(mail!.text).toContain(tricky);
    expect(mail!.text).toContain('- Plan <A>: due & late\n  https://bascule.example/plans/1?a=1&b=2');
    expect(mail!.text).toContain('Open <it>:\nhttps://bascule.example/plans/1');
    expect(mail!.text).toContain('Unsubscribe: https://bascule.example/unsubscribe?t=x&k=y');
    const html = mail!.html as string;
    expect(html).toContain('Risk &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co’s');
    expect(html).not.toContain('<script');
    expect(html).toContain('Hello &lt;you&gt;,');
    expect(html).toContain('Second line<br>of the same paragraph.');
    expect(html).toContain('<a href="https://bascule.example/plans/1?a=1&amp;b=2"');
    expect(html).toContain('Plan &lt;A&gt;</a> — due &amp; late');
    expect(html).toContain('<title>Plan &lt;Alpha&gt; &amp; &quot;Beta&quot;</title>');
    expect(html).not.toMatch(/<img|src=|url\(/);
    // mailparser gathers the List-* headers under "list".
    expect(mail!.headers.get('list')).toEqual({
      unsubscribe: expect.objectContaining({ url: 'https://bascule.example/unsubscribe?t=x&k=y' }),
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');

    const [row] = await eventually(async () => {
      const rows = await rowsTo(testApp, to);
      expect(rows.map((r) => r.status)).toEqual(['SENT']);
      return rows;
    });
    expect(mail!.messageId).toBe(`<${row!.id}@example.test>`);
    expect(row).toMatchObject({ kind: 'mentioned', attempts: 1, lastError: null, language: 'en' });
    expect(row!.sentAt).toBeInstanceOf(Date);
    // Sent, its bodies are gone (an invitation's link, a comment): the log keeps the rest.
    expect([row!.textBody, row!.htmlBody]).toEqual(['', '']);
  });

  it('keeps an e-mail the SMTP server refuses, and sends it on a later round', async () => {
    const to = uniqueEmail('busy');
    smtp.refusing = 'Mailbox busy, try again later';
    try {
      await enqueue(testApp, [mailTo(testApp, to)]);
      await eventually(async () => {
        const [row] = await rowsTo(testApp, to);
        expect(row).toMatchObject({ status: 'PENDING', lastError: expect.stringContaining('Mailbox busy') });
        expect(row!.attempts).toBeGreaterThanOrEqual(2);
      });
      expect(smtp.to(to)).toEqual([]);
    } finally {
      smtp.refusing = null;
    }
    await eventually(async () => {
      const [row] = await rowsTo(testApp, to);
      expect(row).toMatchObject({ status: 'SENT', lastError: null });
    });
    expect(smtp.to(to)).toHaveLength(1);
    const metrics = await testApp.app.get(Metrics).registry.getSingleMetricAsString('bascule_mail_deliveries_total');
    expect(metrics).toMatch(/outcome="retry"} [1-9]/);
    expect(metrics).toMatch(/outcome="sent"} [1-9]/);
  });

  it('sends what an instance without the worker role queued, after that instance is gone', async () => {
    const to = uniqueEmail('handed-over');
    const env = { DATABASE_URL: testApp.database.url, BASCULE_SMTP_URL: smtp.url, BASCULE_MAIL_FROM: FROM };
    const apiOnly = await createApp(testConfig({ ...env, BASCULE_ROLES: 'api' }), captureLogs().logger);
    await apiOnly
      .get(DataSource)
      .transaction((manager) => apiOnly.get(MailOutbox).enqueueIn(manager, [mailTo(testApp, to)]));
    await apiOnly.close();
    // As if an instance had claimed it and died while sending: another takes it once the claim runs out.
    await testApp.app
      .get(DataSource)
      .getRepository(MailOutboxEntity)
      .update({ toAddress: to }, { lockedUntil: new Date(Date.now() + 1500) });

    const worker = await createApp(testConfig({ ...env, BASCULE_ROLES: 'worker' }), captureLogs().logger);
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(smtp.to(to)).toEqual([]);
      await eventually(() => expect(smtp.to(to)).toHaveLength(1));
    } finally {
      await worker.close();
    }
  });

  it('lets owners and admins read their own organization’s delivery log, and no one else', async () => {
    const owner = await signUp(testApp.baseUrl);
    const admin = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'ADMIN');
    const member = await addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER');
    const outsider = await signUp(testApp.baseUrl);
    const to = uniqueEmail('logged');
    await enqueue(testApp, [mailTo(testApp, to, { organizationId: owner.organizationId, kind: 'digest' })]);
    await eventually(async () => expect((await rowsTo(testApp, to))[0]?.status).toBe('SENT'));

    for (const reader of [owner, admin]) {
      const log = await graphqlAs<{ mailDeliveries: { to: string; kind: string; status: string }[] }>(
        testApp.baseUrl,
        reader.tokens.accessToken,
        DELIVERIES,
      );
      expect(log.errors).toBeUndefined();
      // The two invitations that brought the admin and the member in, and the digest.
      expect(log.data!.mailDeliveries.map((mail) => [mail.kind, mail.to])).toEqual([
        ['digest', to],
        ['invitation', member.email],
        ['invitation', admin.email],
      ]);
      expect(log.data!.mailDeliveries[0]).toMatchObject({ status: 'SENT', attempts: 1, lastError: null });
    }
    expect(codeOf(await graphqlAs(testApp.baseUrl, member.tokens.accessToken, DELIVERIES))).toBe('FORBIDDEN');
    const foreign = await graphqlAs<{ mailDeliveries: unknown[] }>(
      testApp.baseUrl,
      outsider.tokens.accessToken,
      DELIVERIES,
    );
    expect(foreign.data!.mailDeliveries).toEqual([]);
    expect(codeOf(await graphqlAs(testApp.baseUrl, owner.tokens.accessToken, DELIVERIES, { first: 201 }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('says in the server information that e-mail is on', async () => {
    const info = await graphql<{ serverInfo: { emailEnabled: boolean } }>(testApp.baseUrl, SERVER_INFO);
    expect(info.data!.serverInfo.emailEnabled).toBe(true);
  });
});

describe('e-mail: failures kept in the log without secrets', () => {
  it('never writes the SMTP password into the delivery log', async () => {
    const smtp = await startSmtpServer({ user: 'bascule', password: 'right-password' });
    const password = 's3cret p@ss/word';
    const testApp = await startTestApp({
      BASCULE_SMTP_URL: smtp.url.replace('right-password', encodeURIComponent(password)),
      BASCULE_MAIL_RETRY_BASE_MS: '100',
    });
    try {
      const to = uniqueEmail('unsent');
      await enqueue(testApp, [mailTo(testApp, to)]);
      const [row] = await eventually(async () => {
        const rows = await rowsTo(testApp, to);
        expect(rows[0]?.lastError).toEqual(expect.stringContaining('Invalid'));
        return rows;
      });
      for (const form of [password, encodeURIComponent(password), Buffer.from(password).toString('base64')])
        expect(row!.lastError).not.toContain(form);
      expect(row!.status).toBe('PENDING');
    } finally {
      await testApp.close();
      await smtp.close();
    }
  });
});

describe('e-mail: off without BASCULE_SMTP_URL', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(() => testApp.close());

  it('queues nothing, and says so', async () => {
    const to = uniqueEmail('nobody');
    await enqueue(testApp, [mailTo(testApp, to)]);
    expect(await rowsTo(testApp, to)).toEqual([]);
    const info = await graphql<{ serverInfo: { emailEnabled: boolean } }>(testApp.baseUrl, SERVER_INFO);
    expect(info.data!.serverInfo.emailEnabled).toBe(false);
  });

  it('leaves the invitation link to the inviter', async () => {
    const owner = await signUp(testApp.baseUrl);
    const email = uniqueEmail('by-hand');
    const invited = await graphqlAs<{ inviteMember: { acceptUrl: string; token: string; emailed: boolean } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { acceptUrl token emailed } }',
      { i: { email } },
    );
    expect(invited.data!.inviteMember).toEqual({
      acceptUrl: expect.stringContaining(invited.data!.inviteMember.token),
      token: expect.any(String),
      emailed: false,
    });
    expect(await rowsTo(testApp, email)).toEqual([]);
  });
});
