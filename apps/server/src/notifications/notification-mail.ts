import { Injectable } from '@nestjs/common';
import { commentPlainText, type Language, type NotificationKind } from '@bascule/plan-model';
import type { EntityManager } from 'typeorm';
import type { UserEntity } from '../identity/entities.js';
import { MailOutbox, type OutgoingMail } from '../mail/mail-outbox.js';
import { MailRenderer } from '../mail/mail-renderer.js';
import type { NotificationEntity } from './notification.entities.js';
import { NotificationLinks } from './notification-links.js';
import { notificationWords } from './notification-texts.js';

/** A notification's e-mail, in its recipient's language, with the link to what it is about and the unsubscribe link of its kind. */
@Injectable()
export class NotificationMail {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly renderer: MailRenderer,
    private readonly links: NotificationLinks,
  ) {}

  /** Whether this server sends e-mail at all. */
  get enabled(): boolean {
    return this.outbox.enabled;
  }

  mailOf(user: UserEntity, organizationId: string, row: NotificationEntity, planLanguage: Language): OutgoingMail {
    const language = user.language ?? planLanguage;
    const kind = row.kind as Exclude<NotificationKind, 'DIGEST'>;
    const words = notificationWords(
      {
        kind,
        title: row.title,
        planTitle: String(row.data?.planTitle ?? ''),
        actorName: row.actorName,
        excerpt: row.excerpt,
        data: row.data ?? {},
      },
      language,
    );
    const rendered = this.renderer.render({
      language,
      subject: words.subject,
      paragraphs: [words.lead, ...(row.excerpt === null ? [] : [commentPlainText(row.excerpt)])],
      action: { label: words.open, url: this.links.linkOf(row) },
      footer: { reason: words.reason, unsubscribeUrl: this.links.unsubscribeUrl(user.id, kind) },
    });
    return { to: user.email, organizationId, userId: user.id, language, kind: kind.toLowerCase(), ...rendered };
  }

  enqueueIn(manager: EntityManager, mails: readonly OutgoingMail[]): Promise<void> {
    return this.outbox.enqueueIn(manager, mails);
  }
}
