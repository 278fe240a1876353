/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { accessibilityViolations, ARTIFACTS, browserAvailable, launchChromium } from '../support/browser.js';
import { eventually } from '../support/collab.js';
import { serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { freePort } from '../support/http.js';
import {
  graphqlAs,
  invite,
  type SignedUp,
  signUp,
  STRONG_PASSWORD,
  uniqueEmail,
  graphqlUsers,
} from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';

const suite = `conversations and notifications in Chromium (${suiteDialect()})`;
const describeBrowser = browserAvailable(suite) ? describe : describe.skip;

/** Within 2 seconds, as the issue asks of what one person does reaching the other. */
const LIVE_MS = 2_000;
/** A notification is written after the change is stored, then pushed: a little more. */
const NOTIFIED_MS = 5_000;
/** An e-mail goes out from the outbox, checked every second. */
const MAILED_MS = 10_000;

const RISK = 'Data loss during the copy';

describeBrowser(suite, () => {
  let smtp: TestSmtpServer;
  let environment: ServerEnvironment;
  let server: ServerProcess;
  let browser: Browser;
  let alice: SignedUp;
  let bob: SignedUp;
  let victor: SignedUp;
  let planId: string;
  let riskId: string;
  const contexts: BrowserContext[] = [];

  const { must } = graphqlUsers(() => server.baseUrl);
  const asAlice = <T>(text: string, variables?: Record<string, unknown>) => must<T>(alice, text, variables);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    // A known port, so that the links in e-mails (BASCULE_PUBLIC_URL) lead back to this server.
    const port = await freePort();
    environment = await serverEnvironment({
      PORT: String(port),
      BASCULE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BASCULE_SMTP_URL: smtp.url,
      BASCULE_MAIL_RETRY_BASE_MS: '200',
    });
    server = await startServer(environment.env);
    alice = await signUp(server.baseUrl, { displayName: 'Alice Martin', organizationName: 'Hôpital du Lac' });
    const bobEmail = uniqueEmail('bob');
    bob = await signUp(server.baseUrl, {
      email: bobEmail,
      displayName: 'Bob Durand',
      invitationToken: await invite(server.baseUrl, alice.tokens.accessToken, bobEmail),
    });
    planId = (
      await asAlice<{ createPlan: { id: string } }>(
        'mutation { createPlan(input: { title: "Patient records to Outscale", defaultMemberRole: null, language: en }) { id } }',
      )
    ).createPlan.id;
    const victorEmail = uniqueEmail('victor');
    victor = await signUp(server.baseUrl, {
      email: victorEmail,
      displayName: 'Victor Lenoir',
      invitationToken: await invite(server.baseUrl, alice.tokens.accessToken, victorEmail),
    });
    for (const [user, role] of [
      [bob, 'EDITOR'],
      [victor, 'VIEWER'],
    ] as const)
      await asAlice(
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        {
          p: planId,
          u: user.userId,
          r: role,
        },
      );
    riskId = (
      await asAlice<{ createRisk: { id: string } }>(
        `mutation($p: ID!) { createRisk(planId: $p, input: { title: "${RISK}", likelihood: 3, impact: 4 }) { id } }`,
        { p: planId },
      )
    ).createRisk.id;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await environment?.drop();
    await smtp?.close();
  });

  async function newPage(locale: string, who: string): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width: 1400, height: 1000 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') process.stderr.write(`[browser ${who}] ${message.text()}\n`);
    });
    page.on('pageerror', (error) => process.stderr.write(`[browser ${who}] ${error.stack ?? error.message}\n`));
    return page;
  }

  /** Resolves once the page has asked the server for its notifications as they are written. */
  function notificationsFollowed(page: Page): Promise<void> {
    return new Promise((resolve) =>
      page.on('websocket', (socket) =>
        socket.on('framesent', (frame) => {
          if (String(frame.payload).includes('notificationReceived')) resolve();
        }),
      ),
    );
  }

  /** A fresh browser profile signed in through the sign-in form; in French when the locale is. */
  async function signedIn(
    user: SignedUp,
    locale: string,
    who: string,
  ): Promise<{ page: Page; following: Promise<void> }> {
    const page = await newPage(locale, who);
    const following = notificationsFollowed(page);
    const french = locale.startsWith('fr');
    await page.goto(server.baseUrl);
    await page.getByLabel(french ? 'Adresse e-mail' : 'Email').fill(user.email);
    await page.getByLabel(french ? 'Mot de passe' : 'Password').fill(user.password);
    await page.getByRole('button', { name: french ? 'Se connecter' : 'Sign in' }).click();
    await page.getByTestId('viewer').waitFor();
    return { page, following };
  }

  /** Opens the plan's Discussion tab, once the editor is there to take the click. */
  async function openDiscussion(page: Page): Promise<void> {
    await eventually(async () => {
      await page.getByRole('tab', { name: /Discussion/ }).click();
      expect(await page.getByTestId('plan-discussion').count()).toBe(1);
    }, 10_000);
  }

  const mailsTo = (email: string, subject: RegExp): ParsedMail[] =>
    smtp.to(email).filter((mail) => subject.test(mail.subject ?? ''));
  const unread = async (page: Page) => {
    const badge = page.getByTestId('notification-count');
    return (await badge.count()) === 0 ? 0 : Number(await badge.innerText());
  };

  it('two people discuss a risk: a mention notified live and by e-mail, a reply, the thread resolved', async () => {
    const { page: a } = await signedIn(alice, 'en-US', 'Alice');
    // Bob reads French: the interface tells the server, and his e-mails come in French.
    const { page: b, following } = await signedIn(bob, 'fr-FR', 'Bob');
    await eventually(async () => {
      const me = await graphqlAs<{ me: { language: string | null } }>(
        server.baseUrl,
        bob.tokens.accessToken,
        '{ me { language } }',
      );
      expect(me.data?.me.language).toBe('fr');
    }, LIVE_MS);
    await following;
    expect(await unread(b)).toBe(0);

    // Alice opens the risk's discussion and mentions Bob through the @ suggestions.
    await a.goto(`${server.baseUrl}/plans/${planId}`);
    await a.getByRole('tab', { name: /Risks/ }).click();
    const riskCard = a.locator(`[data-risk-id="${riskId}"]`);
    await riskCard.getByTestId('discuss').click();
    const panel = a.getByTestId('entry-discussion');
    await expect(panel.getByRole('heading').innerText()).resolves.toBe(`Discussion about “${RISK}”`);
    const composer = panel.getByTestId('new-thread');
    const text = composer.getByLabel('Start a thread');
    await text.fill('Can we keep the source copy until the cutover? ');
    await text.pressSequentially('@Bo');
    const option = a.getByTestId('mention-list').getByRole('option', { name: 'Bob Durand' });
    await option.waitFor();
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await text.press('Enter');
    expect(await text.inputValue()).toContain(`@[Bob Durand](user:${bob.userId}) `);
    await text.pressSequentially('please check <b>the backups</b> **today**');
    // The preview shows whom the text mentions, by name.
    expect(await composer.getByTestId('comment-preview').locator('.mention').innerText()).toBe('@Bob Durand');
    await composer.getByRole('button', { name: 'Comment' }).click();

    const thread = panel.getByTestId('thread');
    await eventually(async () => {
      expect(await thread.count()).toBe(1);
      // Stamped by the server: the author, and a time instead of "sending…".
      expect(await thread.getByTestId('comment-sending').count()).toBe(0);
    }, LIVE_MS);
    const first = thread.getByTestId('comment').first();
    expect(await first.innerText()).toContain('Alice Martin');
    // What was typed as HTML is text; the Markdown-light marks are not.
    expect(await first.locator('.comment-text').innerText()).toContain('<b>the backups</b>');
    expect(await first.locator('.comment-text b').count()).toBe(0);
    expect(await first.locator('.comment-text strong').innerText()).toBe('today');
    expect(await riskCard.getByTestId('discuss').getAttribute('data-open-threads')).toBe('1');

    // Bob's bell counts it without a reload, and the e-mail arrives, in French, with the text escaped.
    await eventually(async () => expect(await unread(b)).toBe(1), NOTIFIED_MS);
    const mention = await eventually(() => {
      const [mail] = mailsTo(bob.email, /mentionné/);
      expect(mail).toBeDefined();
      return mail!;
    }, MAILED_MS);
    expect(mention.subject).toBe(`Alice Martin vous a mentionné : « ${RISK} »`);
    expect(String(mention.html)).toContain('&lt;b&gt;the backups&lt;/b&gt;');
    expect(String(mention.html)).not.toContain('<b>the backups</b>');
    expect(mention.text).toContain('<b>the backups</b>');
    const opened = new URL(/(http:\/\/\S+\/plans\/\S+)/.exec(mention.text ?? '')?.[1] ?? '/', server.baseUrl);
    expect(`${opened.origin}${opened.pathname}`).toBe(`${server.baseUrl}/plans/${planId}`);
    expect(opened.searchParams.get('focus')).toBe(`risks/${riskId}`);
    expect(opened.searchParams.get('comment')).toBe(await first.getAttribute('data-comment-id'));

    // Bob opens the notification: it leads to the risk's thread, the comment marked.
    await b.getByTestId('notification-bell').click();
    const notification = b.getByTestId('notification').first();
    await notification.waitFor();
    expect(await notification.getAttribute('data-unread')).toBe('true');
    expect(await notification.innerText()).toContain(`Alice Martin vous a mentionné dans « ${RISK} »`);
    await b.screenshot({ path: join(ARTIFACTS, 'notifications.png') });
    expect(await accessibilityViolations(b)).toEqual([]);
    await notification.getByRole('link').click();
    await b.waitForURL(`${server.baseUrl}/plans/${planId}`);
    const bobPanel = b.getByTestId('entry-discussion');
    await eventually(
      async () => expect(await bobPanel.locator('.comment.highlighted').innerText()).toContain('the backups'),
      LIVE_MS,
    );
    expect(await b.getByRole('tab', { name: /Risques/ }).getAttribute('aria-selected')).toBe('true');
    await eventually(async () => expect(await unread(b)).toBe(0), LIVE_MS);

    // Bob replies; Alice sees it at once (and is told: she wrote in the thread).
    await bobPanel.getByRole('button', { name: 'Répondre' }).click();
    await bobPanel.getByLabel('Répondre à Alice Martin').fill('Oui : gardée 30 jours après la bascule.');
    await bobPanel.getByTestId('reply').getByRole('button', { name: 'Répondre' }).click();
    await eventually(async () => {
      const comments = thread.getByTestId('comment');
      expect(await comments.count()).toBe(2);
      expect(await comments.nth(1).innerText()).toContain('Bob Durand');
      expect(await comments.nth(1).innerText()).toContain('gardée 30 jours');
    }, LIVE_MS);
    await eventually(async () => expect(await unread(a)).toBe(1), NOTIFIED_MS);

    // Bob resolves the thread; Alice sees it resolved, by him.
    await bobPanel.getByRole('button', { name: 'Résoudre' }).click();
    await eventually(async () => {
      expect(await thread.getAttribute('data-state')).toBe('RESOLVED');
      expect(await riskCard.getByTestId('discuss').getAttribute('data-open-threads')).toBe('0');
      // Who resolved it is the server's stamp, which follows Bob's change by a moment.
      expect(await thread.getByTestId('thread-resolved').innerText()).toContain('Resolved by Bob Durand');
    }, LIVE_MS);
    // Resolved, the thread folds its reply away; it stays where it was, with the way to it.
    expect(await thread.getByTestId('comment').count()).toBe(1);
    await thread.getByRole('button', { name: 'Show the replies (1)' }).click();
    expect(await thread.getByTestId('comment').count()).toBe(2);
    // The button Bob pressed still holds his focus, now to reopen the thread.
    expect(await b.evaluate(() => document.activeElement?.textContent)).toBe('Rouvrir');
    await a.screenshot({ path: join(ARTIFACTS, 'discussion.png') });
    expect(await accessibilityViolations(a)).toEqual([]);

    // The plan's Discussion lists it among the resolved threads.
    await a.getByRole('tab', { name: /Discussion/ }).click();
    await a
      .getByTestId('plan-discussion')
      .getByRole('button', { name: /Resolved/ })
      .click();
    expect(await a.getByTestId('plan-discussion').getByTestId('thread').innerText()).toContain(`Risk: “${RISK}”`);

    // Alice makes Bob the risk's owner; it is his on his dashboard.
    await a.getByRole('tab', { name: /Risks/ }).click();
    await riskCard.getByLabel('Owner', { exact: true }).selectOption({ label: 'Bob Durand' });
    await b.getByRole('link', { name: 'Portefeuille', exact: true }).first().click();
    await eventually(
      async () => expect(await b.getByTestId('mine-item').first().innerText()).toContain(RISK),
      NOTIFIED_MS,
    );
    // He is told he owns it, in the app.
    await eventually(async () => expect(await unread(b)).toBe(1), NOTIFIED_MS);
    await b.screenshot({ path: join(ARTIFACTS, 'dashboard-mine.png'), fullPage: true });

    // The e-mail's unsubscribe link, opened signed out, stops these e-mails (in the app they stay).
    const unsubscribeUrl = /Se désabonner: (\S+)/.exec(mention.text ?? '')?.[1];
    expect(unsubscribeUrl).toMatch(/\/notifications\/unsubscribe\?/);
    const outsider = await newPage('fr-FR', 'unsubscribe');
    await outsider.goto(unsubscribeUrl!);
    await outsider
      .getByText('Ne plus recevoir d’e-mail pour « Quelqu’un vous mentionne » ?', { exact: false })
      .waitFor();
    await outsider.getByRole('button', { name: 'Ne plus recevoir ces e-mails' }).click();
    await outsider.getByTestId('unsubscribed').waitFor();
    const settings = await graphqlAs<{ notificationSettings: { preferences: { kind: string; channel: string }[] } }>(
      server.baseUrl,
      bob.tokens.accessToken,
      '{ notificationSettings { preferences { kind channel } } }',
    );
    expect(settings.data?.notificationSettings.preferences).toContainEqual({ kind: 'MENTIONED', channel: 'IN_APP' });

    // His account's settings say so, and take them back (the digest is an e-mail: sent or not).
    await b.getByRole('link', { name: 'Compte' }).click();
    const mentions = b.locator('[data-testid="preference"][data-kind="MENTIONED"]');
    await mentions.waitFor();
    expect(await mentions.getByLabel('Dans l’application').isChecked()).toBe(true);
    expect(await b.locator('[data-testid="preference"][data-kind="DIGEST"]').getByRole('radio').count()).toBe(2);
    expect(await b.getByTestId('no-email').count()).toBe(0);
    await mentions.getByLabel('Les deux').check();
    await b.getByText('Enregistré.').waitFor();
    const after = await graphqlAs<{ notificationSettings: { preferences: { kind: string; channel: string }[] } }>(
      server.baseUrl,
      bob.tokens.accessToken,
      '{ notificationSettings { preferences { kind channel } } }',
    );
    expect(after.data?.notificationSettings.preferences).toContainEqual({ kind: 'MENTIONED', channel: 'BOTH' });
    await b.screenshot({ path: join(ARTIFACTS, 'notification-settings.png'), fullPage: true });
    expect(await accessibilityViolations(b)).toEqual([]);
  }, 120_000);

  it('a viewer takes part through the API: the others see his comments, edits and deletions live', async () => {
    const { page: a } = await signedIn(alice, 'en-US', 'Alice');
    const { page: v } = await signedIn(victor, 'en-US', 'Victor');
    for (const page of [a, v]) await page.goto(`${server.baseUrl}/plans/${planId}`);
    await eventually(
      async () => expect(await v.getByTestId('plan-editor').getAttribute('data-read-only')).toBe('true'),
      LIVE_MS,
    );
    for (const page of [a, v]) await openDiscussion(page);
    const victorSide = v.getByTestId('plan-discussion');
    const aliceSide = a.getByTestId('plan-discussion');
    await victorSide
      .getByLabel('Start a thread about the plan')
      .fill('Which weekend is the cutover?')
      .catch(async (error: unknown) => {
        // Once seen in CI only: say what the page showed instead.
        process.stderr.write(`[browser Victor] the page showed:\n${await v.locator('body').innerText()}\n`);
        throw error;
      });
    await victorSide.getByRole('button', { name: 'Comment' }).click();
    const started = aliceSide.getByTestId('thread').filter({ hasText: 'Which weekend' });
    await eventually(async () => expect(await started.count()).toBe(1), LIVE_MS);
    // Named by its id from here: its text changes.
    const threadId = await started.getAttribute('data-thread-id');
    const thread = aliceSide.locator(`[data-thread-id="${threadId}"]`);
    expect(await thread.innerText()).toContain('Victor Lenoir');
    expect(await thread.innerText()).toContain('Plan');

    // Alice answers in the document, then changes her answer: Victor sees it edited.
    await thread.getByRole('button', { name: 'Reply' }).click();
    await thread.getByLabel('Reply to Victor Lenoir').fill('The 14th.');
    await thread.getByTestId('reply').getByRole('button', { name: 'Reply' }).click();
    const answerId = await thread
      .getByTestId('comment')
      .filter({ hasText: 'The 14th.' })
      .getAttribute('data-comment-id');
    const answer = thread.locator(`[data-comment-id="${answerId}"]`);
    await answer.getByRole('button', { name: 'Edit' }).click();
    await answer.getByLabel('Your comment').fill('The 21st, after the rehearsal.');
    await answer.getByRole('button', { name: 'Save' }).click();
    const victorThread = victorSide.locator(`[data-thread-id="${threadId}"]`);
    await eventually(async () => {
      const seen = await victorThread.getByTestId('comment').nth(1).innerText();
      expect(seen).toContain('The 21st, after the rehearsal.');
      expect(seen).toContain('(edited)');
    }, LIVE_MS);
    // Victor may change only his own comment; he deletes it, and the answer stays.
    expect(await victorThread.getByTestId('comment').nth(1).getByRole('button', { name: 'Edit' }).count()).toBe(0);
    v.once('dialog', (dialog) => void dialog.accept());
    await victorThread.getByTestId('comment').first().getByRole('button', { name: 'Delete' }).click();
    // Without its first comment the thread is closed: among the resolved ones.
    await eventually(async () => {
      await a
        .getByRole('group', { name: 'Threads to show' })
        .getByRole('button', { name: /Resolved/ })
        .click();
      expect(await thread.count()).toBe(1);
    }, LIVE_MS);
    await eventually(async () => {
      expect(await thread.innerText()).toContain('The first comment of this thread was deleted.');
      expect(await thread.innerText()).toContain('The 21st, after the rehearsal.');
      // Closed: nobody answers it or resolves it any more.
      expect(await thread.getByRole('button', { name: /^(Reply|Resolve)$/ }).count()).toBe(0);
    }, LIVE_MS);
  }, 60_000);

  it('a mention in the notes notifies the member mentioned', async () => {
    const { page } = await signedIn(alice, 'en-US', 'Alice');
    await page.goto(`${server.baseUrl}/plans/${planId}`);
    await page.getByRole('tab', { name: /Notes/ }).click();
    const notes = page.getByTestId('notes-editor');
    await notes.click();
    await page.keyboard.type('Backups checked by @Bo');
    const option = page.getByTestId('mention-list').getByRole('option', { name: 'Bob Durand' });
    await option.waitFor();
    await page.keyboard.press('Enter');
    expect(await notes.locator('.mention').innerText()).toBe('@Bob Durand');
    await eventually(async () => {
      const listed = await graphqlAs<{ notifications: { kind: string; inNotes: boolean; actorName: string }[] }>(
        server.baseUrl,
        bob.tokens.accessToken,
        '{ notifications(first: 50) { kind inNotes actorName } }',
      );
      expect(listed.data?.notifications).toContainEqual({
        kind: 'MENTIONED',
        inNotes: true,
        actorName: 'Alice Martin',
      });
    }, NOTIFIED_MS);
  }, 60_000);

  it('sends an invitation by e-mail, whose link lets the invitee join', async () => {
    const { page } = await signedIn(alice, 'en-US', 'Alice');
    await page.getByRole('link', { name: 'Organization' }).click();
    const email = uniqueEmail('carol');
    const form = page.getByRole('region', { name: 'Invite someone' });
    await form.getByLabel('Email', { exact: true }).fill(email);
    await form.getByRole('button', { name: 'Create the invitation' }).click();
    expect(await page.getByTestId('invite-emailed').innerText()).toBe(
      `An e-mail with the link was sent to ${email}; it works once, for 7 days.`,
    );
    const link = await eventually(() => {
      const [mail] = smtp.to(email);
      const found = /(http:\/\/\S+\/invitations\/accept#token=[^\s>"]+)/.exec(mail?.text ?? '')?.[1];
      expect(found).toBeDefined();
      return found!;
    }, MAILED_MS);

    const invitee = await newPage('en-US', 'Carol');
    await invitee.goto(link);
    await invitee.getByLabel('Your name').fill('Carol Petit');
    await invitee.getByLabel('Email').fill(email);
    await invitee.getByLabel('Password').fill(STRONG_PASSWORD);
    await invitee.getByRole('button', { name: 'Create my account' }).click();
    await eventually(
      async () => expect(await invitee.getByTestId('viewer').innerText()).toContain('Hôpital du Lac'),
      LIVE_MS,
    );
  }, 60_000);
});
