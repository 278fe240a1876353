import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { NotificationKind } from '@bascule/plan-model';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import type { NotificationEntity } from './notification.entities.js';

/** The addresses notifications and e-mails link to: what they are about, and the unsubscribe link of a kind. */
@Injectable()
export class NotificationLinks {
  private readonly unsubscribeKey: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.unsubscribeKey = createHmac('sha256', config.secrets.BASCULE_TOKEN_HASH_KEY).update('unsubscribe').digest();
  }

  /** Where the web client opens what a notification is about (the entry's tab, its thread). */
  linkOf(row: Pick<NotificationEntity, 'planId' | 'subject' | 'entryId' | 'commentId'>): string {
    if (row.planId === null) return this.config.publicUrl;
    const focus = new URLSearchParams();
    if (row.subject !== null && row.subject !== 'plan' && row.entryId !== null)
      focus.set('focus', `${row.subject}/${row.entryId}`);
    if (row.commentId !== null) focus.set('comment', row.commentId);
    const query = focus.toString();
    return `${this.config.publicUrl}/plans/${row.planId}${query === '' ? '' : `?${query}`}`;
  }

  /** The address that stops one kind of e-mail for one person, signed so that nobody else can forge it. */
  unsubscribeUrl(userId: string, kind: NotificationKind): string {
    const query = new URLSearchParams({ user: userId, kind, token: this.tokenOf(userId, kind) });
    return `${this.config.publicUrl}/notifications/unsubscribe?${query.toString()}`;
  }

  /** Whether an unsubscribe link's token is the one Bascule made for this person and kind. */
  genuine(userId: string, kind: NotificationKind, token: string): boolean {
    const [expected, given] = [Buffer.from(this.tokenOf(userId, kind)), Buffer.from(token)];
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private tokenOf(userId: string, kind: NotificationKind): string {
    return createHmac('sha256', this.unsubscribeKey).update(`${userId}:${kind}`).digest('base64url');
  }
}
