import { type NotificationChannel, type NotificationKind } from '@bascule/plan-model';

export {
  channelsOf,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from '@bascule/plan-model';

/** What is asked of a person, or what they answer for, by e-mail too; the rest in the app only. */
export const DEFAULT_CHANNELS: Readonly<Record<NotificationKind, NotificationChannel>> = {
  MENTIONED: 'BOTH',
  ASSIGNED: 'BOTH',
  APPROVAL_REQUESTED: 'BOTH',
  MILESTONE_SLIPPED: 'IN_APP',
  MILESTONE_DUE: 'BOTH',
  RISK_CRITICAL: 'BOTH',
  COMMENTED: 'IN_APP',
  DIGEST: 'EMAIL',
};

export const showsInApp = (channel: NotificationChannel) => channel === 'IN_APP' || channel === 'BOTH';
export const sendsEmail = (channel: NotificationChannel) => channel === 'EMAIL' || channel === 'BOTH';

/** A milestone is announced as due this many days before its due date (and in the digest). */
export const DUE_SOON_DAYS = 3;
