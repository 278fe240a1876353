import type { OnModuleDestroy } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import type { AppConfig } from '../config/config.js';
import { type Delivery, LiveFeed, unwrap } from '../graphql/live-feed.js';
import type { SubscriptionRequest } from '../graphql/subscriptions.js';
import { AuthService } from '../identity/auth.service.js';
import { toNotificationModel } from './models/notification.mappers.js';
import {
  NotificationChannelEnum,
  NotificationKindEnum,
  NotificationModel,
  NotificationSettingsModel,
} from './models/notification.models.js';
import type { NotificationChannel, NotificationKind } from './notification-kinds.js';
import type { NotificationEntity } from './notification.entities.js';
import { NotificationEvents, type NotificationWritten } from './notification-events.js';
import { NotificationLinks } from './notification-links.js';
import { NotificationsService } from './notifications.service.js';
import { Inject } from '@nestjs/common';
import { APP_CONFIG } from '../core/core.module.js';

type Payload = { notificationReceived: NotificationModel };

/** A person's notification centre: their notifications, live, and how they want to be told. */
@Resolver()
export class NotificationsResolver implements OnModuleDestroy {
  private readonly feed: LiveFeed<NotificationWritten>;
  private readonly stopListening: () => void;

  constructor(
    events: NotificationEvents,
    auth: AuthService,
    private readonly service: NotificationsService,
    private readonly links: NotificationLinks,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.feed = new LiveFeed(auth);
    this.stopListening = events.listen((written) => this.feed.publish(written));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  @Allow('notifications.read')
  @Query(() => [NotificationModel], {
    description:
      'Your notifications in the current organization, newest first; `after`: those after that one, for the next page.',
  })
  async notifications(
    @CurrentAuth() auth: AuthContext,
    @Args('first', { type: () => Int, defaultValue: 30 }) first: number,
    @Args('unreadOnly', { type: () => Boolean, defaultValue: false }) unreadOnly: boolean,
    @Args('after', { type: () => ID, nullable: true }) after: string | null,
  ): Promise<NotificationModel[]> {
    const rows = await this.service.list(auth, { first, unreadOnly, ...(after === null ? {} : { after }) });
    return rows.map((row) => this.model(row));
  }

  @Allow('notifications.read')
  @Query(() => Int, { description: 'How many of your notifications are unread.' })
  unreadNotificationCount(@CurrentAuth() auth: AuthContext): Promise<number> {
    return this.service.unreadCount(auth);
  }

  @Allow('notifications.manage')
  @Mutation(() => Int, {
    description: 'Marks your notifications read: those named, or all; returns how many were unread.',
  })
  markNotificationsRead(
    @CurrentAuth() auth: AuthContext,
    @Args('ids', { type: () => [ID], nullable: true }) ids: string[] | null,
  ): Promise<number> {
    return this.service.markRead(auth, ids ?? null);
  }

  @Allow('notifications.read')
  @Query(() => NotificationSettingsModel, { description: 'How you are told of each kind of notification.' })
  async notificationSettings(@CurrentAuth() auth: AuthContext): Promise<NotificationSettingsModel> {
    return { preferences: await this.service.preferences(auth), emailEnabled: this.config.mail.enabled };
  }

  @Allow('notifications.manage')
  @Mutation(() => NotificationSettingsModel, {
    description: 'Chooses how you are told of one kind (DIGEST: EMAIL or NONE).',
  })
  async setNotificationPreference(
    @CurrentAuth() auth: AuthContext,
    @Args('kind', { type: () => NotificationKindEnum }) kind: NotificationKind,
    @Args('channel', { type: () => NotificationChannelEnum }) channel: NotificationChannel,
  ): Promise<NotificationSettingsModel> {
    await this.service.setPreference(auth, kind, channel);
    return this.notificationSettings(auth);
  }

  @Allow('public')
  @Mutation(() => NotificationKindEnum, {
    description:
      'Stops one kind of e-mail, from the link at the foot of an e-mail (its user, kind and token); it stays in the app if it was there. Returns the kind.',
  })
  async unsubscribe(
    @Args('userId', { type: () => ID }) userId: string,
    @Args('kind') kind: string,
    @Args('token') token: string,
  ): Promise<NotificationKind> {
    return this.service.unsubscribeOrFail(userId, kind, token);
  }

  @Allow('notifications.read')
  @Subscription(() => NotificationModel, {
    description: 'Each notification written for you, as it is written, on whichever instance.',
    resolve: (payload: Delivery<Payload>) => unwrap(payload).notificationReceived,
  })
  notificationReceived(
    @CurrentAuth() auth: AuthContext,
    @Context() context: { req: SubscriptionRequest },
  ): AsyncIterableIterator<Delivery<Payload>> {
    return this.feed.deliver(
      context.req.bearerToken,
      // Only the organization the subscriber is signed in to: another's would not be found in it.
      (written) => written.userId === auth.userId && written.organizationId === auth.organizationId,
      async (current, written) => ({
        notificationReceived: this.model(await this.service.one(current, written.notificationId)),
      }),
    );
  }

  private model(row: NotificationEntity): NotificationModel {
    return toNotificationModel(row, this.links.linkOf(row));
  }
}
