import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from '../notification-kinds.js';

export const NotificationKindEnum = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind]));
registerEnumType(NotificationKindEnum, {
  name: 'NotificationKind',
  description:
    'MENTIONED (in a comment or the notes), ASSIGNED (made owner of an entry), APPROVAL_REQUESTED (a checkpoint put to review, for the plan’s approvers), MILESTONE_SLIPPED and MILESTONE_DUE (a milestone you own), RISK_CRITICAL (a risk you own), COMMENTED (on your entry or in a thread you wrote in), DIGEST (the daily e-mail of what you own that is due).',
});

export const NotificationChannelEnum = Object.fromEntries(NOTIFICATION_CHANNELS.map((channel) => [channel, channel]));
registerEnumType(NotificationChannelEnum, {
  name: 'NotificationChannel',
  description: 'How you are told of a kind: in the app, by e-mail, both, or not at all.',
});

@ObjectType('Notification', { description: 'Something you are told about, in your notification centre.' })
export class NotificationModel {
  @Field(() => ID) id!: string;
  @Field(() => NotificationKindEnum) kind!: string;
  @Field(() => ID, { nullable: true }) planId!: string | null;
  @Field(() => String, { nullable: true, description: 'The plan’s title then.' }) planTitle!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'What it is about: plan, milestones, risks, checkpoints, workloads or runbookTasks.',
  })
  subject!: string | null;
  @Field(() => ID, { nullable: true }) entryId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The comment, for mentions and comments.' }) commentId!:
    string | null;
  @Field(() => String, { description: 'The entry’s title (or the plan’s) then.' }) title!: string;
  @Field(() => String, { nullable: true, description: 'Who did it.' }) actorName!: string | null;
  @Field(() => String, { nullable: true, description: 'The comment’s text (Markdown-light, as written).' })
  excerpt!: string | null;
  @Field(() => String, { nullable: true, description: 'MILESTONE_SLIPPED: the due date before (YYYY-MM-DD).' })
  fromDate!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'MILESTONE_SLIPPED: the new due date; MILESTONE_DUE: the due date (YYYY-MM-DD).',
  })
  dueDate!: string | null;
  @Field(() => Int, { nullable: true, description: 'RISK_CRITICAL: the score reached (likelihood x impact).' })
  score!: number | null;
  @Field(() => Boolean, { description: 'MENTIONED: in the plan’s notes rather than a comment.' }) inNotes!: boolean;
  @Field(() => String, { description: 'Where the web client opens it.' }) url!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) readAt!: Date | null;
}

@ObjectType('NotificationPreference')
export class NotificationPreferenceModel {
  @Field(() => NotificationKindEnum) kind!: string;
  @Field(() => NotificationChannelEnum) channel!: string;
}

@ObjectType('NotificationSettings', {
  description: 'How you are told of each kind, and whether this server sends e-mail.',
})
export class NotificationSettingsModel {
  @Field(() => [NotificationPreferenceModel]) preferences!: NotificationPreferenceModel[];
  @Field(() => Boolean, {
    description: 'False when the server has no SMTP server configured: nothing is sent by e-mail, whatever is chosen.',
  })
  emailEnabled!: boolean;
}
