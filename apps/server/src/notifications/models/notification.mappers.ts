import type { NotificationEntity } from '../notification.entities.js';
import type { NotificationModel } from './notification.models.js';

const text = (value: unknown) => (typeof value === 'string' ? value : null);

export const toNotificationModel = (row: NotificationEntity, url: string): NotificationModel => {
  const data = row.data ?? {};
  return {
    id: row.id,
    kind: row.kind,
    planId: row.planId,
    planTitle: text(data.planTitle),
    subject: row.subject,
    entryId: row.entryId,
    commentId: row.commentId,
    title: row.title,
    actorName: row.actorName,
    excerpt: row.excerpt,
    fromDate: text(data.from),
    dueDate: text(data.to) ?? text(data.dueDate),
    score: typeof data.score === 'number' ? data.score : null,
    inNotes: data.inNotes === true,
    url,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
};
