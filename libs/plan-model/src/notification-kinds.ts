/**
 * What a person may be told of about the plans they read, in the order settings list them: mentioned
 * in a comment or the notes, made owner of an entry, asked to approve a checkpoint, a milestone they
 * own slipped or is due soon, a risk they own became critical, a comment on their entry or in a
 * thread they wrote in, and the daily digest of what they own that is due. The server and the web
 * client share these words (GraphQL's NotificationKind and NotificationChannel).
 */
export const NOTIFICATION_KINDS = [
  'MENTIONED',
  'ASSIGNED',
  'APPROVAL_REQUESTED',
  'MILESTONE_SLIPPED',
  'MILESTONE_DUE',
  'RISK_CRITICAL',
  'COMMENTED',
  'DIGEST',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** How a person wants to be told of a kind. */
export const NOTIFICATION_CHANNELS = ['IN_APP', 'EMAIL', 'BOTH', 'NONE'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The channels a kind may take: the digest is an e-mail, sent or not. */
export const channelsOf = (kind: NotificationKind): readonly NotificationChannel[] =>
  kind === 'DIGEST' ? ['EMAIL', 'NONE'] : NOTIFICATION_CHANNELS;

export const isNotificationKind = (value: string | null): value is NotificationKind =>
  NOTIFICATION_KINDS.some((kind) => kind === value);
