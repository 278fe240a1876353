import type { NotificationKind } from '@bascule/plan-model';

export interface Notification {
  readonly id: string;
  readonly kind: NotificationKind;
  readonly planTitle: string | null;
  readonly title: string;
  readonly actorName: string | null;
  readonly excerpt: string | null;
  readonly fromDate: string | null;
  readonly dueDate: string | null;
  readonly score: number | null;
  readonly inNotes: boolean;
  readonly url: string;
  readonly createdAt: string;
  readonly readAt: string | null;
}

export const UNREAD_COUNT = /* GraphQL */ `
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`;

export const NOTIFICATION_RECEIVED = /* GraphQL */ `
  subscription NotificationReceived {
    notificationReceived {
      id
    }
  }
`;

export const NOTIFICATIONS = /* GraphQL */ `
  query Notifications {
    notifications(first: 30) {
      id
      kind
      planTitle
      title
      actorName
      excerpt
      fromDate
      dueDate
      score
      inNotes
      url
      createdAt
      readAt
    }
  }
`;

export const MARK_READ = /* GraphQL */ `
  mutation MarkNotificationsRead($ids: [ID!]) {
    markNotificationsRead(ids: $ids)
  }
`;
