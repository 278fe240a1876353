import type { Translate } from '../i18n/i18n';
import type { Notification } from './queries';

/** What a notification says, in the reader's language: "Marie vous a mentionné dans « Réversibilité »". */
export function notificationSentence(
  notification: Notification,
  t: Translate,
  formatDay: (day: string | null) => string,
): string {
  const actor = notification.actorName ?? t('notify.someone');
  const title = notification.title;
  switch (notification.kind) {
    case 'MENTIONED':
      return notification.inNotes
        ? t('notify.MENTIONED_NOTES', { actor, title: notification.planTitle ?? title })
        : t('notify.MENTIONED', { actor, title });
    case 'ASSIGNED':
      return t('notify.ASSIGNED', { actor, title });
    case 'APPROVAL_REQUESTED':
      return t('notify.APPROVAL_REQUESTED', { actor, title });
    case 'MILESTONE_SLIPPED':
      return t('notify.MILESTONE_SLIPPED', {
        title,
        from: formatDay(notification.fromDate),
        to: formatDay(notification.dueDate),
      });
    case 'MILESTONE_DUE':
      return t('notify.MILESTONE_DUE', { title, due: formatDay(notification.dueDate) });
    case 'RISK_CRITICAL':
      return t('notify.RISK_CRITICAL', { title, score: notification.score ?? '' });
    case 'COMMENTED':
      return t('notify.COMMENTED', { actor, title });
    case 'DIGEST':
      return t('notify.DIGEST');
  }
}
