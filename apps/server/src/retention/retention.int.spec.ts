import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { MailOutboxEntity, type MailStatus } from '../mail/mail-outbox.entity.js';
import { NotificationEntity, NotificationMarkEntity } from '../notifications/notification.entities.js';
import { type DeliveryStatus, WebhookDeliveryEntity } from '../webhooks/webhook.entities.js';
import { RetentionSweeper } from './retention.sweeper.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('retention: what is only a log is taken out once old', () => {
  let testApp: TestApp;
  let owner: SignedUp;
  let dataSource: DataSource;
  let endpointId: string;
  const now = new Date();
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);

  beforeAll(async () => {
    // 30 days kept; the worker's own hourly sweep is left to the test (it runs at start, on nothing old).
    testApp = await startTestApp({ BASCULE_RETENTION_DAYS: '30' });
    owner = await signUp(testApp.baseUrl);
    dataSource = testApp.app.get(DataSource);
    const created = await graphqlAs<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation { createWebhookEndpoint(input: { url: "https://cmdb.example/hook", events: ["plan.changed"] }) { endpoint { id } } }',
    );
    endpointId = created.data!.createWebhookEndpoint.endpoint.id;
  });

  afterAll(() => testApp.close());

  const notification = (createdAt: Date, read: boolean) =>
    dataSource.getRepository(NotificationEntity).save({
      id: randomUUID(),
      organizationId: owner.organizationId,
      userId: owner.userId,
      kind: 'MENTIONED',
      planId: null,
      subject: 'plan',
      entryId: null,
      commentId: null,
      title: 'Plan',
      actorName: 'Someone',
      excerpt: null,
      data: null,
      createdAt,
      readAt: read ? createdAt : null,
    });
  const mark = (createdAt: Date) =>
    dataSource.getRepository(NotificationMarkEntity).save({ key: `test/${randomUUID()}`, createdAt });
  const mail = (createdAt: Date, status: MailStatus) =>
    dataSource.getRepository(MailOutboxEntity).save({
      id: randomUUID(),
      organizationId: owner.organizationId,
      userId: owner.userId,
      toAddress: owner.email,
      language: 'fr',
      kind: 'MENTIONED',
      subject: 'Sujet',
      textBody: '',
      htmlBody: '',
      headers: {},
      status,
      attempts: 1,
      // Pending ones far in the future, so that the dispatcher leaves them alone.
      nextAttemptAt: status === 'PENDING' ? daysAgo(-30) : createdAt,
      lockedUntil: null,
      lastError: null,
      createdAt,
      sentAt: status === 'SENT' ? createdAt : null,
    });
  const delivery = (createdAt: Date, status: DeliveryStatus) =>
    dataSource.getRepository(WebhookDeliveryEntity).save({
      id: randomUUID(),
      endpointId,
      organizationId: owner.organizationId,
      event: 'plan.changed',
      payload: '{}',
      status,
      attempts: 1,
      nextAttemptAt: status === 'PENDING' ? daysAgo(-30) : createdAt,
      lockedUntil: null,
      lastStatus: status === 'DELIVERED' ? 200 : null,
      lastError: null,
      createdAt,
      deliveredAt: status === 'DELIVERED' ? createdAt : null,
    });
  const ids = async <T extends { id: string }>(rows: Promise<T[]>) => new Set((await rows).map((row) => row.id));

  it('takes out notifications, sent or failed e-mails and deliveries past the retention, keeps the rest', async () => {
    const old = daysAgo(31);
    const recent = daysAgo(29);
    const gone = [
      await notification(old, true),
      await notification(old, false),
      await mail(old, 'SENT'),
      await mail(old, 'FAILED'),
      await delivery(old, 'DELIVERED'),
      await delivery(old, 'FAILED'),
    ];
    const kept = [
      await notification(recent, false),
      await mail(recent, 'SENT'),
      // Still to send: kept whatever its age.
      await mail(old, 'PENDING'),
      await delivery(recent, 'FAILED'),
      await delivery(old, 'PENDING'),
    ];
    const oldMark = await mark(daysAgo(31));
    const recentMark = await mark(daysAgo(29));

    const swept = await testApp.app.get(RetentionSweeper).sweep(now);
    expect(swept).toEqual({ notifications: 2, notificationMarks: 1, mails: 2, webhookDeliveries: 2 });

    const remaining = new Set([
      ...(await ids(dataSource.getRepository(NotificationEntity).find())),
      ...(await ids(dataSource.getRepository(MailOutboxEntity).find())),
      ...(await ids(dataSource.getRepository(WebhookDeliveryEntity).find())),
    ]);
    for (const row of gone) expect(remaining.has(row.id)).toBe(false);
    for (const row of kept) expect(remaining.has(row.id)).toBe(true);
    const marks = new Set((await dataSource.getRepository(NotificationMarkEntity).find()).map((row) => row.key));
    expect(marks.has(oldMark.key)).toBe(false);
    expect(marks.has(recentMark.key)).toBe(true);
    // Nothing more to take out.
    expect(await testApp.app.get(RetentionSweeper).sweep(now)).toEqual({
      notifications: 0,
      notificationMarks: 0,
      mails: 0,
      webhookDeliveries: 0,
    });
  });

  it('ends the notification list at a cursor that was taken out, as it ends at the oldest one', async () => {
    const oldest = await notification(daysAgo(45), false);
    await testApp.app.get(RetentionSweeper).sweep(now);
    const page = await graphqlAs<{ notifications: { id: string }[] }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'query($after: ID) { notifications(first: 10, after: $after) { id } }',
      { after: oldest.id },
    );
    expect(page.errors).toBeUndefined();
    expect(page.data!.notifications).toEqual([]);
  });

  it('takes out a large backlog in batches', async () => {
    const old = daysAgo(40);
    const repository = dataSource.getRepository(NotificationMarkEntity);
    await repository.save(
      Array.from({ length: 1_234 }, (_, index) => ({ key: `backlog/${index}`, createdAt: old })),
      { chunk: 200 },
    );
    expect((await testApp.app.get(RetentionSweeper).sweep(now)).notificationMarks).toBe(1_234);
    expect(await repository.countBy({ key: 'backlog/0' })).toBe(0);
  });
});
