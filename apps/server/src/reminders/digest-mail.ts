import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_LANGUAGE } from '@bascule/plan-model';
import type { EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import type { UserEntity } from '../identity/entities.js';
import { MailOutbox, type OutgoingMail } from '../mail/mail-outbox.js';
import { MailRenderer } from '../mail/mail-renderer.js';
import { type DigestItem, digestWords, reasonFor } from '../notifications/notification-texts.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { PlanAudience } from '../notifications/plan-audience.js';
import type { PlanEntity } from '../plans/entities.js';

/** What a person's daily digest says: their items due or overdue, in the plans they may still read, in their language. */
@Injectable()
export class DigestMail {
  constructor(
    private readonly audience: PlanAudience,
    private readonly notifications: NotificationsService,
    private readonly mail: MailOutbox,
    private readonly renderer: MailRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The digest of `userId`'s items (by plan) on `day`; null when none is in a plan they may read. */
  async compose(
    userId: string,
    byPlan: ReadonlyMap<string, readonly DigestItem[]>,
    plans: ReadonlyMap<string, PlanEntity>,
    day: string,
  ): Promise<OutgoingMail | null> {
    const readable: DigestItem[] = [];
    let user: UserEntity | undefined;
    let organizationId: string | null = null;
    for (const [planId, list] of byPlan) {
      const [reader] = await this.audience.readers(planId, [userId]);
      if (reader === undefined) continue;
      user = reader.user;
      organizationId ??= plans.get(planId)?.organizationId ?? null;
      readable.push(...list);
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
        unsubscribeUrl: this.notifications.unsubscribeUrl(userId, 'DIGEST'),
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
      headers: { ...rendered.headers, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    };
  }

  enqueueIn(manager: EntityManager, mail: OutgoingMail): Promise<void> {
    return this.mail.enqueueIn(manager, [mail]);
  }
}
