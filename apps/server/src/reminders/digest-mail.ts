import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LANGUAGE } from '@bascule/plan-model';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import type { UserEntity } from '../identity/entities.js';
import { MailOutbox, type OutgoingMail } from '../mail/mail-outbox.js';
import { MailRenderer } from '../mail/mail-renderer.js';
import { type DigestItem, digestWords, reasonFor } from '../notifications/notification-texts.js';
import { NotificationLinks } from '../notifications/notification-links.js';
import { PlanAudience } from '../notifications/plan-audience.js';
import type { PlanEntity } from '../plans/entities.js';

/** Something a person owns that is due: a milestone, or an open checkpoint gating one (its due date). */
export interface DueItem {
  readonly planId: string;
  readonly collection: 'milestones' | 'checkpoints';
  readonly id: string;
  readonly title: string;
  readonly dueDate: string;
}

/** What a person's daily digest says: their items due or overdue, in the plans they may still read, in their language. */
@Injectable()
export class DigestMail {
  constructor(
    private readonly audience: PlanAudience,
    private readonly links: NotificationLinks,
    private readonly mail: MailOutbox,
    private readonly renderer: MailRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The digest of `userId`'s items on `day`; null when none is in a plan they may read. */
  async compose(
    userId: string,
    items: readonly DueItem[],
    plans: ReadonlyMap<string, PlanEntity>,
    day: string,
  ): Promise<OutgoingMail | null> {
    const readable: DigestItem[] = [];
    let user: UserEntity | undefined;
    let organizationId: string | null = null;
    for (const planId of new Set(items.map((item) => item.planId))) {
      const plan = plans.get(planId);
      const [reader] = plan === undefined ? [] : await this.audience.readers(planId, [userId]);
      if (plan === undefined || reader === undefined) continue;
      user = reader.user;
      organizationId ??= plan.organizationId;
      for (const item of items.filter((found) => found.planId === planId))
        readable.push({
          kind: item.collection === 'milestones' ? 'milestone' : 'checkpoint',
          title: item.title,
          dueDate: item.dueDate,
          overdue: item.dueDate < day,
          planTitle: plan.title,
          url: this.links.linkOf({ planId, subject: item.collection, entryId: item.id, commentId: null }),
        });
    }
    if (user === undefined || readable.length === 0) return null;
    readable.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.title.localeCompare(b.title));
    const language = user.language ?? DEFAULT_LANGUAGE;
    const words = digestWords(day, readable, language);
    const rendered = this.renderer.render({
      language,
      subject: words.subject,
      paragraphs: [words.intro],
      items: words.lines,
      action: { label: words.open, url: this.config.publicUrl },
      footer: {
        reason: reasonFor('DIGEST', language),
        unsubscribeUrl: this.links.unsubscribeUrl(userId, 'DIGEST'),
      },
    });
    return {
      to: user.email,
      // The delivery log of the organization of its first plan lists it.
      organizationId,
      userId,
      language,
      kind: 'digest',
      ...rendered,
    };
  }

  enqueueIn(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    return this.mail.enqueueIn(manager, [mail]);
  }
}
