import { Injectable } from '@nestjs/common';
import { ENUM_WORDS, type Language } from '@bascule/plan-model';
import type { EntityManager } from 'typeorm';
import type { OrgRole } from '../access/roles.js';
import { MailOutbox } from './mail-outbox.js';
import { MailRenderer } from './mail-renderer.js';

/** What an invitation e-mail tells its recipient. */
export interface InvitationFacts {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly email: string;
  readonly role: OrgRole;
  readonly inviterName: string;
  readonly acceptUrl: string;
  readonly validDays: number;
  readonly language: Language;
}

const TEXT = {
  en: {
    subject: (organization: string) => `Invitation to join ${organization} on Bascule`,
    greeting: 'Hello,',
    invited: (inviter: string, organization: string, role: string) =>
      `${inviter} invites you to join ${organization} on Bascule, with the ${role} role.`,
    about:
      'Bascule is where your organization plans its moves to the cloud together: milestones, risks, compliance checkpoints and cutover runbooks.',
    validity: (days: number) => `The link works once, for this address only, and expires in ${days} days.`,
    accept: 'Accept the invitation',
    reason: (inviter: string, email: string) =>
      `You receive this e-mail because ${inviter} invited ${email}. If you were not expecting it, ignore it: nothing happens without you.`,
  },
  fr: {
    subject: (organization: string) => `Invitation à rejoindre ${organization} sur Bascule`,
    greeting: 'Bonjour,',
    invited: (inviter: string, organization: string, role: string) =>
      `${inviter} vous invite à rejoindre ${organization} sur Bascule, avec le rôle ${role}.`,
    about:
      'Bascule est l’outil où votre organisation prépare ensemble ses migrations vers le cloud : jalons, risques, points de conformité et runbooks de bascule.',
    validity: (days: number) =>
      `Le lien ne sert qu’une fois, pour cette adresse seulement, et expire dans ${days} jours.`,
    accept: 'Accepter l’invitation',
    reason: (inviter: string, email: string) =>
      `Vous recevez ce message parce que ${inviter} a invité ${email}. Si vous ne l’attendiez pas, ignorez-le : rien ne se passe sans vous.`,
  },
} as const;

/** The e-mail that carries an invitation's link, in the invitation's language. */
@Injectable()
export class InvitationMail {
  constructor(
    private readonly outbox: MailOutbox,
    private readonly renderer: MailRenderer,
  ) {}

  /**
   * Puts the invitation e-mail in the outbox, in the transaction that creates the invitation.
   * Returns whether it will be e-mailed: false when this server sends no e-mail.
   */
  async enqueueIn(manager: EntityManager, facts: InvitationFacts): Promise<boolean> {
    if (!this.outbox.enabled) return false;
    const text = TEXT[facts.language];
    const role = ENUM_WORDS[facts.language][`orgRole.${facts.role}`];
    const mail = this.renderer.render({
      language: facts.language,
      subject: text.subject(facts.organizationName),
      greeting: text.greeting,
      paragraphs: [
        text.invited(facts.inviterName, facts.organizationName, role),
        text.about,
        text.validity(facts.validDays),
      ],
      action: { label: text.accept, url: facts.acceptUrl },
      // An invitation is a one-off, to someone without an account: nothing to unsubscribe from.
      footer: { reason: text.reason(facts.inviterName, facts.email) },
    });
    await this.outbox.enqueueIn(manager, [
      {
        ...mail,
        to: facts.email,
        organizationId: facts.organizationId,
        userId: null,
        language: facts.language,
        kind: 'invitation',
      },
    ]);
    return true;
  }
}
