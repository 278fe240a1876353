import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createEntry, mentionOf, updateEntry } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { captureLogs, testConfig } from '../../../../test/support/config.js';
import { listen } from '../../../../test/support/http.js';
import { createApp } from '../app.factory.js';
import { connectClient, eventually, synced } from '../../../../test/support/collab.js';
import { suiteDialect } from '../../../../test/support/database.js';
import { addMember, codeOf, type SignedUp, signUp, graphqlUsers } from '../../../../test/support/identity.js';
import { startSmtpServer, type TestSmtpServer } from '../../../../test/support/smtp.js';
import { type Subscription, subscribe } from '../../../../test/support/subscriptions.js';
import { WebhookDeliveryEntity } from '../webhooks/webhook.entities.js';
import { ReminderClock } from '../reminders/reminder-clock.js';

interface Notification {
  id: string;
  kind: string;
  planId: string | null;
  planTitle: string | null;
  subject: string | null;
  entryId: string | null;
  commentId: string | null;
  title: string;
  actorName: string | null;
  excerpt: string | null;
  dueDate: string | null;
  score: number | null;
  url: string;
  readAt: string | null;
}
interface Comment {
  id: string;
  threadId: string | null;
  body: string;
  bodyText: string;
  mentions: string[];
  authorId: string | null;
  authorName: string | null;
  editedAt: string | null;
}
interface Thread {
  id: string;
  state: string;
  resolvedBy: string | null;
  first: Comment | null;
  replies: Comment[];
}

const NOTIFICATION =
  'id kind planId planTitle subject entryId commentId title actorName excerpt dueDate score url readAt';
const COMMENT = 'id threadId body bodyText mentions authorId authorName editedAt';
const THREAD = `id state resolvedBy first { ${COMMENT} } replies { ${COMMENT} }`;

describe(`conversations and notifications on ${suiteDialect()}`, () => {
  let smtp: TestSmtpServer;
  let testApp: TestApp;
  let owner: SignedUp;
  let editor: SignedUp;
  let approver: SignedUp;
  let viewer: SignedUp;
  /** A member of the organization without any role on the plans. */
  let bystander: SignedUp;
  let outsider: SignedUp;
  const open: Subscription<unknown>[] = [];

  const { as, must } = graphqlUsers(() => testApp.baseUrl);
  const nameOf = async (who: SignedUp) =>
    (await must<{ me: { user: { displayName: string } } }>(who, '{ me { user { displayName } } }')).me.user.displayName;

  async function newPlan(title = 'Messagerie vers Bleu'): Promise<string> {
    const { createPlan } = await must<{ createPlan: { id: string } }>(
      owner,
      'mutation($t: String!) { createPlan(input: { title: $t, defaultMemberRole: null, language: fr }) { id } }',
      { t: title },
    );
    for (const [who, role] of [
      [editor, 'EDITOR'],
      [approver, 'APPROVER'],
      [viewer, 'VIEWER'],
    ] as const)
      await must(
        owner,
        'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
        { p: createPlan.id, u: who.userId, r: role },
      );
    return createPlan.id;
  }

  const newRisk = async (planId: string, input: Record<string, unknown>) =>
    (
      await must<{ createRisk: { id: string } }>(
        editor,
        'mutation($p: ID!, $i: RiskInput!) { createRisk(planId: $p, input: $i) { id } }',
        { p: planId, i: input },
      )
    ).createRisk.id;

  const addComment = (who: SignedUp, planId: string, input: Record<string, unknown>) =>
    as<{ addComment: Comment }>(
      who,
      `mutation($p: ID!, $i: CommentInput!) { addComment(planId: $p, input: $i) { ${COMMENT} } }`,
      { p: planId, i: input },
    );

  const notificationsOf = async (who: SignedUp) =>
    (await must<{ notifications: Notification[] }>(who, `{ notifications(first: 100) { ${NOTIFICATION} } }`))
      .notifications;

  /** Waits for `who`'s notification matching `match`, and answers with it. */
  const notified = (who: SignedUp, match: (notification: Notification) => boolean) =>
    eventually(async () => {
      const found = (await notificationsOf(who)).find(match);
      expect(found).toBeDefined();
      return found!;
    });

  const mailsTo = (who: SignedUp, subject: RegExp) =>
    smtp.to(who.email).filter((mail) => subject.test(mail.subject ?? ''));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    testApp = await startTestApp({ BASCULE_SMTP_URL: smtp.url, BASCULE_MAIL_RETRY_BASE_MS: '100' });
    owner = await signUp(testApp.baseUrl);
    [editor, approver, viewer, bystander] = await Promise.all(
      [1, 2, 3, 4].map(() => addMember(testApp.baseUrl, owner.tokens.accessToken, 'MEMBER')),
    );
    outsider = await signUp(testApp.baseUrl);
    await must(editor, 'mutation { setLanguage(language: en) { language } }');
    await must(viewer, 'mutation { setLanguage(language: fr) { language } }');
  });

  afterEach(async () => {
    for (const subscription of open.splice(0)) await subscription.close();
  });

  afterAll(async () => {
    await testApp.close();
    await smtp.close();
  });

  it('holds a thread on a risk: replies, edits by their author only, resolution, all stamped by the server', async () => {
    const planId = await newPlan();
    const riskId = await newRisk(planId, { title: 'Loi extraterritoriale' });
    const first = await addComment(editor, planId, {
      subject: 'risks',
      entryId: riskId,
      body: 'Is the **SecNumCloud** qualification _final_? See https://cyber.gouv.fr',
    });
    expect(first.errors).toBeUndefined();
    const comment = first.data!.addComment;
    expect(comment).toMatchObject({
      threadId: null,
      authorId: editor.userId,
      authorName: await nameOf(editor),
      bodyText: 'Is the SecNumCloud qualification final? See https://cyber.gouv.fr',
    });

    // A viewer takes part in the conversation (and only in it).
    const reply = await addComment(viewer, planId, { threadId: comment.id, body: 'Oui, depuis mars.' });
    expect(reply.errors).toBeUndefined();
    expect(reply.data!.addComment).toMatchObject({ threadId: comment.id, authorId: viewer.userId });
    expect(
      codeOf(await as(viewer, 'mutation($p: ID!) { updatePlan(id: $p, input: { title: "x" }) { id } }', { p: planId })),
    ).toBe('FORBIDDEN');
    // A reply to a reply joins the thread.
    const nested = await addComment(owner, planId, { threadId: reply.data!.addComment.id, body: 'Noted.' });
    expect(nested.data!.addComment.threadId).toBe(comment.id);

    const edit = (who: SignedUp, id: string, body: string) =>
      as<{ editComment: Comment }>(
        who,
        `mutation($p: ID!, $id: ID!, $b: String!) { editComment(planId: $p, id: $id, body: $b) { ${COMMENT} } }`,
        { p: planId, id, b: body },
      );
    const refused = await edit(owner, comment.id, 'Rewritten by someone else');
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.extensions?.rule).toBe('COMMENT_REFUSED');
    const edited = await edit(editor, comment.id, 'Is the qualification final?');
    expect(edited.data!.editComment).toMatchObject({ body: 'Is the qualification final?' });
    expect(edited.data!.editComment.editedAt).not.toBeNull();
    expect(codeOf(await edit(editor, comment.id, '   '))).toBe('BAD_USER_INPUT');

    const resolved = await must<{ setThreadState: Thread }>(
      approver,
      `mutation($p: ID!, $t: ID!) { setThreadState(planId: $p, threadId: $t, state: RESOLVED) { ${THREAD} } }`,
      { p: planId, t: comment.id },
    );
    expect(resolved.setThreadState).toMatchObject({ state: 'RESOLVED', resolvedBy: await nameOf(approver) });
    expect(resolved.setThreadState.replies.map((found) => found.body)).toEqual(['Oui, depuis mars.', 'Noted.']);

    // Only its author deletes a comment; the thread keeps its replies when the first one goes.
    const remove = (who: SignedUp, id: string) =>
      as(who, 'mutation($p: ID!, $id: ID!) { deleteComment(planId: $p, id: $id) }', { p: planId, id });
    expect(codeOf(await remove(viewer, comment.id))).toBe('FORBIDDEN');
    expect((await remove(editor, comment.id)).errors).toBeUndefined();
    const { plan } = await must<{ plan: { commentThreads: Thread[] } }>(
      owner,
      `query($p: ID!, $r: ID!) { plan(id: $p) { commentThreads(subject: risks, entryId: $r) { ${THREAD} } } }`,
      { p: planId, r: riskId },
    );
    expect(plan.commentThreads).toHaveLength(1);
    expect(plan.commentThreads[0]).toMatchObject({ id: comment.id, first: null });
    expect(plan.commentThreads[0]!.replies).toHaveLength(2);

    // The trail keeps the conversation.
    await eventually(async () => {
      const trail = await must<{ auditEvents: { edges: { node: { entity: string; action: string } }[] } }>(
        owner,
        'query($p: ID!) { auditEvents(filter: { planId: $p }, first: 100) { edges { node { entity action } } } }',
        { p: planId },
      );
      const comments = trail.auditEvents.edges.map((edge) => edge.node).filter((node) => node.entity === 'comments');
      expect(comments.map((node) => node.action)).toEqual(expect.arrayContaining(['created', 'updated', 'deleted']));
    });
  });

  it('lists open discussions in the plan report, as text', async () => {
    const planId = await newPlan();
    const riskId = await newRisk(planId, { title: 'Dépendance au cloud public' });
    await addComment(editor, planId, {
      subject: 'risks',
      entryId: riskId,
      body: '<img src=x onerror=alert(1)> **# Titre** [piège](https://evil.example)',
    });
    const resolved = await addComment(editor, planId, { body: 'Réglé' });
    await must(
      editor,
      'mutation($p: ID!, $t: ID!) { setThreadState(planId: $p, threadId: $t, state: RESOLVED) { id } }',
      {
        p: planId,
        t: resolved.data!.addComment.id,
      },
    );
    const response = await fetch(`${testApp.baseUrl}/reports/plans/${planId}.md`, {
      headers: { authorization: `Bearer ${owner.tokens.accessToken}`, 'accept-language': 'fr' },
    });
    const report = await response.text();
    expect(report).toContain('## Discussions ouvertes');
    expect(report).toContain('**Dépendance au cloud public**');
    expect(report).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(report).not.toContain('<img');
    expect(report).not.toContain('](https://evil.example)');
    expect(report).not.toContain('Réglé');
  });

  it('refuses comments on what the plan does not hold, and says what is wrong', async () => {
    const planId = await newPlan();
    expect(codeOf(await addComment(editor, planId, { subject: 'risks', entryId: 'no-such-risk', body: 'x' }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await addComment(editor, planId, { threadId: 'no-such-thread', body: 'x' }))).toBe('NOT_FOUND');
    expect(codeOf(await addComment(editor, planId, { body: 'x'.repeat(10_001) }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await addComment(outsider, planId, { body: 'hello' }))).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    expect(codeOf(await addComment(bystander, planId, { body: 'hello' }))).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
  });

  it('tells a mentioned member at once, live and by e-mail in their language, and nobody who may not read the plan', async () => {
    const planId = await newPlan('Portail patients <HDS>');
    const riskId = await newRisk(planId, { title: 'Réversibilité & sortie' });
    const live = subscribe<{ notificationReceived: Notification }>(
      testApp.baseUrl,
      { authorization: `Bearer ${editor.tokens.accessToken}` },
      `subscription { notificationReceived { ${NOTIFICATION} } }`,
    );
    open.push(live);
    await live.connected;

    const body = `${mentionOf('Editor', editor.userId)} ${mentionOf('Bystander', bystander.userId)} ${mentionOf('Outsider', outsider.userId)} peux-tu vérifier <script>alert(1)</script> ?`;
    const posted = await addComment(viewer, planId, { subject: 'risks', entryId: riskId, body });
    expect(posted.errors).toBeUndefined();
    expect(posted.data!.addComment.mentions).toEqual([editor.userId, bystander.userId, outsider.userId]);

    const notification = await notified(editor, (found) => found.kind === 'MENTIONED' && found.planId === planId);
    expect(notification).toMatchObject({
      subject: 'risks',
      entryId: riskId,
      commentId: posted.data!.addComment.id,
      title: 'Réversibilité & sortie',
      planTitle: 'Portail patients <HDS>',
      actorName: await nameOf(viewer),
      readAt: null,
    });
    expect(notification.url).toContain(`/plans/${planId}?focus=risks%2F${riskId}`);
    await eventually(() =>
      expect(live.results.map((result) => result.data?.notificationReceived.id)).toContain(notification.id),
    );

    // By e-mail, in English (the editor's language), escaped in HTML, with a link that unsubscribes.
    const mail = await eventually(() => {
      const [found] = mailsTo(editor, /mentioned you/);
      expect(found).toBeDefined();
      return found!;
    });
    expect(mail.subject).toContain('“Réversibilité & sortie”');
    expect(mail.text).toContain('<script>alert(1)</script>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain(notification.url);
    // mailparser gathers the List-* headers under "list".
    const list = mail.headers.get('list') as { unsubscribe: { url: string }; 'unsubscribe-post'?: unknown };
    const link = new URL(list.unsubscribe.url);
    expect(link.pathname).toBe('/notifications/unsubscribe');
    // The server's public address is not the test's loopback port: the same path there.
    const unsubscribe = `${testApp.baseUrl}${link.pathname}${link.search}`;

    // Nobody without the plan is told, inside the organization or outside it.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await notificationsOf(bystander)).filter((found) => found.planId === planId)).toEqual([]);
    expect((await notificationsOf(outsider)).filter((found) => found.planId === planId)).toEqual([]);
    expect(smtp.to(bystander.email).filter((found) => found.subject?.includes('Réversibilité'))).toEqual([]);

    // One click in the mail client (RFC 8058) stops these e-mails, not the notifications.
    const clicked = await fetch(unsubscribe, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    const settings = await must<{ notificationSettings: { preferences: { kind: string; channel: string }[] } }>(
      editor,
      '{ notificationSettings { preferences { kind channel } } }',
    );
    expect(settings.notificationSettings.preferences).toContainEqual({ kind: 'MENTIONED', channel: 'IN_APP' });
    const forged = await fetch(unsubscribe.replace(/token=[^&]+/, 'token=forged'), { method: 'POST' });
    expect(forged.status).toBe(403);
    const sentBefore = mailsTo(editor, /mentioned you/).length;
    await addComment(viewer, planId, {
      subject: 'risks',
      entryId: riskId,
      body: `${mentionOf('Editor', editor.userId)} again`,
    });
    await notified(editor, (found) => found.kind === 'MENTIONED' && found.excerpt?.endsWith('again') === true);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(mailsTo(editor, /mentioned you/)).toHaveLength(sentBefore);

    // Read, one at a time or all.
    const before = await must<{ unreadNotificationCount: number }>(editor, '{ unreadNotificationCount }');
    expect(before.unreadNotificationCount).toBeGreaterThanOrEqual(2);
    await must(editor, 'mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }', { ids: [notification.id] });
    expect(
      (await must<{ unreadNotificationCount: number }>(editor, '{ unreadNotificationCount }')).unreadNotificationCount,
    ).toBe(before.unreadNotificationCount - 1);
    await must(editor, 'mutation { markNotificationsRead }');
    expect(
      (await must<{ unreadNotificationCount: number }>(editor, '{ unreadNotificationCount }')).unreadNotificationCount,
    ).toBe(0);
  });

  it('tells owners of what happens to their entries, and approvers of what awaits them', async () => {
    const planId = await newPlan();
    const riskId = await newRisk(planId, { title: 'Compétences Kubernetes', likelihood: 2, impact: 2 });
    await must(
      editor,
      'mutation($p: ID!, $r: ID!, $u: ID!) { updateRisk(planId: $p, id: $r, input: { ownerId: $u }) { id ownerId owner } }',
      {
        p: planId,
        r: riskId,
        u: viewer.userId,
      },
    );
    const assigned = await notified(viewer, (found) => found.kind === 'ASSIGNED' && found.entryId === riskId);
    expect(assigned.actorName).toBe(await nameOf(editor));
    // In French, the viewer's language.
    await eventually(() => expect(mailsTo(viewer, /vous a confié « Compétences Kubernetes »/)).toHaveLength(1));

    await must(
      editor,
      'mutation($p: ID!, $r: ID!) { updateRisk(planId: $p, id: $r, input: { likelihood: 5, impact: 4 }) { id } }',
      {
        p: planId,
        r: riskId,
      },
    );
    const critical = await notified(viewer, (found) => found.kind === 'RISK_CRITICAL' && found.entryId === riskId);
    expect(critical.score).toBe(20);

    await addComment(editor, planId, { subject: 'risks', entryId: riskId, body: 'Formation prévue en janvier.' });
    await notified(viewer, (found) => found.kind === 'COMMENTED' && found.entryId === riskId);
    // "Mine": what the viewer owns, and nobody else's.
    const { assignedToMe } = await must<{ assignedToMe: { plan: { id: string }; risk: { id: string } | null }[] }>(
      viewer,
      '{ assignedToMe { plan { id } risk { id } } }',
    );
    expect(assignedToMe).toContainEqual({ plan: { id: planId }, risk: { id: riskId } });
    const theirs = await must<{ assignedToMe: { risk: { id: string } | null }[] }>(
      approver,
      '{ assignedToMe { risk { id } } }',
    );
    expect(theirs.assignedToMe.map((found) => found.risk?.id)).not.toContain(riskId);
    // Nobody in charge any more: the name goes with the member.
    const cleared = await must<{ updateRisk: { owner: string | null; ownerId: string | null } }>(
      editor,
      'mutation($p: ID!, $r: ID!) { updateRisk(planId: $p, id: $r, input: { ownerId: null }) { owner ownerId } }',
      { p: planId, r: riskId },
    );
    expect(cleared.updateRisk).toEqual({ owner: null, ownerId: null });

    const { createMilestone } = await must<{ createMilestone: { id: string } }>(
      editor,
      'mutation($p: ID!, $u: ID!) { createMilestone(planId: $p, input: { title: "Pilote", dueDate: "2027-03-01", ownerId: $u }) { id owner } }',
      { p: planId, u: owner.userId },
    );
    await notified(owner, (found) => found.kind === 'ASSIGNED' && found.entryId === createMilestone.id);
    await must(
      editor,
      'mutation($p: ID!, $m: ID!) { updateMilestone(planId: $p, id: $m, input: { dueDate: "2027-03-15" }) { id } }',
      {
        p: planId,
        m: createMilestone.id,
      },
    );
    const slipped = await notified(
      owner,
      (found) => found.kind === 'MILESTONE_SLIPPED' && found.entryId === createMilestone.id,
    );
    expect(slipped.dueDate).toBe('2027-03-15');

    const { createCheckpoint } = await must<{ createCheckpoint: { id: string } }>(
      editor,
      'mutation($p: ID!) { createCheckpoint(planId: $p, input: { title: "Registre RGPD", framework: "GDPR" }) { id } }',
      { p: planId },
    );
    await must(
      editor,
      'mutation($p: ID!, $c: ID!) { updateCheckpoint(planId: $p, id: $c, input: { status: IN_REVIEW }) { id } }',
      {
        p: planId,
        c: createCheckpoint.id,
      },
    );
    await notified(approver, (found) => found.kind === 'APPROVAL_REQUESTED' && found.entryId === createCheckpoint.id);
    // The plan's creator approves too; the editor who asked is not told of their own request.
    await notified(owner, (found) => found.kind === 'APPROVAL_REQUESTED' && found.entryId === createCheckpoint.id);
    expect((await notificationsOf(editor)).filter((found) => found.kind === 'APPROVAL_REQUESTED')).toEqual([]);
  });

  it('pages through notifications written at the same instant without skipping any', async () => {
    const planId = await newPlan();
    const titles = ['Un', 'Deux', 'Trois', 'Quatre'];
    await Promise.all(titles.map((title) => newRisk(planId, { title: `Page ${title}`, ownerId: owner.userId })));
    await eventually(async () => {
      const assigned = (await notificationsOf(owner)).filter((found) => found.planId === planId);
      expect(assigned).toHaveLength(titles.length);
    });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { notifications: Notification[] } = await must(
        owner,
        `query($after: ID) { notifications(first: 1, after: $after) { ${NOTIFICATION} } }`,
        { after },
      );
      const [found] = page.notifications;
      if (found === undefined) break;
      seen.push(found.id);
      after = found.id;
    }
    const mine = (await notificationsOf(owner)).map((found) => found.id);
    expect(seen).toEqual(mine);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lets each person choose how they are told of each kind', async () => {
    const planId = await newPlan();
    await must(approver, 'mutation { setNotificationPreference(kind: COMMENTED, channel: NONE) { emailEnabled } }');
    await must(approver, 'mutation { setNotificationPreference(kind: ASSIGNED, channel: EMAIL) { emailEnabled } }');
    expect(
      codeOf(
        await as(approver, 'mutation { setNotificationPreference(kind: DIGEST, channel: IN_APP) { emailEnabled } }'),
      ),
    ).toBe('BAD_USER_INPUT');
    const riskId = await newRisk(planId, { title: 'Coupure de service', ownerId: approver.userId });
    await eventually(() =>
      expect(mailsTo(approver, /assigned “Coupure de service”|confié « Coupure de service »/)).toHaveLength(1),
    );
    await addComment(editor, planId, { subject: 'risks', entryId: riskId, body: 'Fenêtre de maintenance ?' });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const mine = (await notificationsOf(approver)).filter((found) => found.planId === planId);
    expect(mine.map((found) => found.kind)).toEqual([]);
  });

  it('judges a raw Yjs client as the API: its stamps replaced, its edits of others’ comments reverted', async () => {
    const planId = await newPlan();
    await must(
      owner,
      'mutation { createWebhookEndpoint(input: { url: "https://itsm.example/hook", events: ["comment.created"] }) { endpoint { id } } }',
    );
    const { addComment: theirs } = await must<{ addComment: Comment }>(
      owner,
      `mutation($p: ID!) { addComment(planId: $p, input: { body: "Owner’s words" }) { ${COMMENT} } }`,
      {
        p: planId,
      },
    );
    const client = connectClient(testApp.baseUrl, planId, editor.tokens.accessToken);
    try {
      await synced(client);
      const mine = createEntry(
        client.doc,
        'comments',
        { subject: 'plan', body: `Hello ${mentionOf('Approver', approver.userId)}` },
        { trusted: true },
      );
      client.doc.transact(() => {
        const entry = client.doc.getMap<import('yjs').Map<unknown>>('comments').get(mine)!;
        entry.set('authorId', owner.userId);
        entry.set('authorName', 'Forged');
      });
      updateEntry(client.doc, 'comments', theirs.id, { body: 'Rewritten' }, { trusted: true });
      await eventually(async () => {
        const { plan } = await must<{ plan: { commentThreads: Thread[] } }>(
          owner,
          `query($p: ID!) { plan(id: $p) { commentThreads { ${THREAD} } } }`,
          { p: planId },
        );
        const byId = new Map(plan.commentThreads.map((thread) => [thread.id, thread.first]));
        expect(byId.get(mine)).toMatchObject({ authorId: editor.userId, authorName: await nameOf(editor) });
        expect(byId.get(theirs.id)).toMatchObject({ body: 'Owner’s words' });
      });
      await notified(approver, (found) => found.kind === 'MENTIONED' && found.commentId === mine);
      // Integrations hear of it, as written and as its author.
      const told = await eventually(async () => {
        const deliveries = await testApp.app
          .get(DataSource)
          .getRepository(WebhookDeliveryEntity)
          .findBy({ event: 'comment.created' });
        const payloads = deliveries.map(
          (delivery) => JSON.parse(delivery.payload) as { data: Record<string, unknown> },
        );
        const found = payloads.find((payload) => payload.data.commentId === mine);
        expect(found).toBeDefined();
        return found!;
      });
      expect(told.data).toMatchObject({ subject: 'plan', mentions: [approver.userId], by: await nameOf(editor) });
    } finally {
      client.destroy();
    }
  });

  it('tells owners of milestones due soon once, and sends each person one digest a day with only their items', async () => {
    const planId = await newPlan('Migration Outscale');
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const milestone = (title: string, dueDate: string, ownerId: string) =>
      must<{ createMilestone: { id: string } }>(
        editor,
        'mutation($p: ID!, $t: String!, $d: String!, $u: ID!) { createMilestone(planId: $p, input: { title: $t, dueDate: $d, ownerId: $u }) { id } }',
        { p: planId, t: title, d: dueDate, u: ownerId },
      );
    await milestone('Landing zone prête', day(2), viewer.userId);
    await milestone('Bascule DNS', day(-3), viewer.userId);
    await milestone('Recette', day(5), approver.userId);
    await milestone('Décommissionnement', day(40), viewer.userId);

    const clock = testApp.app.get(ReminderClock);
    const morning = new Date(`${day(0)}T07:30:00Z`);
    await clock.round(morning);
    const second = await clock.round(morning);
    expect(second).toEqual({ due: 0, digests: 0 });
    const due = await notified(
      viewer,
      (found) => found.kind === 'MILESTONE_DUE' && found.title === 'Landing zone prête',
    );
    expect(due.dueDate).toBe(day(2));

    const digest = await eventually(() => {
      const [found] = mailsTo(viewer, /récapitulatif/);
      expect(found).toBeDefined();
      return found!;
    });
    expect(digest.text).toContain('Landing zone prête');
    expect(digest.text).toContain('Bascule DNS');
    expect(digest.text).toContain('en retard');
    expect(digest.text).not.toContain('Recette');
    expect(digest.text).not.toContain('Décommissionnement');
    const theirs = await eventually(() => {
      const [found] = mailsTo(approver, /digest|récapitulatif/);
      expect(found).toBeDefined();
      return found!;
    });
    expect(theirs.text).toContain('Recette');
    expect(theirs.text).not.toContain('Landing zone');
    // Not again that day.
    await clock.round(new Date(`${day(0)}T18:00:00Z`));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailsTo(viewer, /récapitulatif/)).toHaveLength(1);
  });

  const withRedis = process.env.REDIS_URL ? it : it.skip;
  withRedis('delivers a notification written on one instance to a subscriber on another (Redis)', async () => {
    const planId = await newPlan();
    const other = await createApp(
      testConfig({ DATABASE_URL: testApp.database.url, BASCULE_ROLES: 'api' }),
      captureLogs().logger,
    );
    const live = subscribe<{ notificationReceived: Notification }>(
      await listen(other),
      { authorization: `Bearer ${approver.tokens.accessToken}` },
      `subscription { notificationReceived { ${NOTIFICATION} } }`,
    );
    try {
      await live.connected;
      const posted = await addComment(editor, planId, { body: `${mentionOf('Approver', approver.userId)} ailleurs ?` });
      await eventually(() =>
        expect(live.results.map((result) => result.data?.notificationReceived)).toContainEqual(
          expect.objectContaining({ kind: 'MENTIONED', commentId: posted.data!.addComment.id, planId }),
        ),
      );
    } finally {
      await live.close();
      await other.close();
    }
  });
});
