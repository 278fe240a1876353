import type { Language } from '@bascule/plan-model';
import type { NotificationKind } from './notification-kinds.js';

/** What a notification e-mail says of one notification, before the layout (MailRenderer) frames it. */
export interface NotificationFacts {
  readonly kind: Exclude<NotificationKind, 'DIGEST'>;
  readonly title: string;
  readonly planTitle: string;
  readonly actorName: string | null;
  readonly excerpt: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A calendar day as people read it: `12 mars 2027`, `12 March 2027`. */
export function formatDay(day: unknown, language: Language): string {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return String(day ?? '');
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

interface Words {
  subject(facts: NotificationFacts, day: (value: unknown) => string): string;
  lead(facts: NotificationFacts, day: (value: unknown) => string): string;
  /** Why they get this e-mail, and what the unsubscribe link stops. */
  readonly reason: Readonly<Record<NotificationKind, string>>;
  readonly open: string;
}

const WORDS: Readonly<Record<Language, Words>> = {
  fr: {
    subject: (facts, day) => {
      const who = facts.actorName ?? 'Quelqu’un';
      switch (facts.kind) {
        case 'MENTIONED':
          return facts.data.inNotes === true
            ? `${who} vous a mentionné dans les notes de « ${facts.planTitle} »`
            : `${who} vous a mentionné : « ${facts.title} »`;
        case 'ASSIGNED':
          return `${who} vous a confié « ${facts.title} »`;
        case 'APPROVAL_REQUESTED':
          return `Votre approbation est attendue : « ${facts.title} »`;
        case 'MILESTONE_SLIPPED':
          return `Votre jalon « ${facts.title} » a glissé au ${day(facts.data.to)}`;
        case 'MILESTONE_DUE':
          return `Votre jalon « ${facts.title} » arrive à échéance le ${day(facts.data.dueDate)}`;
        case 'RISK_CRITICAL':
          return `Votre risque « ${facts.title} » est devenu critique`;
        case 'COMMENTED':
          return `${who} a commenté « ${facts.title} »`;
      }
    },
    lead: (facts, day) => {
      const who = facts.actorName ?? 'Quelqu’un';
      const plan = `dans le plan « ${facts.planTitle} »`;
      switch (facts.kind) {
        case 'MENTIONED':
          return facts.data.inNotes === true
            ? `${who} vous a mentionné dans les notes du plan « ${facts.planTitle} ».`
            : `${who} vous a mentionné ${plan} :`;
        case 'ASSIGNED':
          return `${who} vous a désigné comme responsable de « ${facts.title} » ${plan}.`;
        case 'APPROVAL_REQUESTED':
          return `${who} a soumis le point de contrôle « ${facts.title} » à revue ${plan}. Il attend l’approbation d’un approbateur.`;
        case 'MILESTONE_SLIPPED':
          return `L’échéance de « ${facts.title} » ${plan} est passée du ${day(facts.data.from)} au ${day(facts.data.to)} (modifiée par ${who}).`;
        case 'MILESTONE_DUE':
          return `« ${facts.title} » ${plan} arrive à échéance le ${day(facts.data.dueDate)} et n’est pas terminé.`;
        case 'RISK_CRITICAL':
          return `« ${facts.title} » ${plan} a atteint un score de ${String(facts.data.score)} sur 25 (modifié par ${who}).`;
        case 'COMMENTED':
          return `${who} a écrit au sujet de « ${facts.title} » ${plan} :`;
      }
    },
    reason: {
      MENTIONED: 'Vous recevez cet e-mail parce que quelqu’un vous a mentionné.',
      ASSIGNED: 'Vous recevez cet e-mail parce qu’on vous a confié un élément d’un plan.',
      APPROVAL_REQUESTED: 'Vous recevez cet e-mail parce que vous approuvez les points de contrôle de ce plan.',
      MILESTONE_SLIPPED: 'Vous recevez cet e-mail parce que vous êtes responsable de ce jalon.',
      MILESTONE_DUE: 'Vous recevez cet e-mail parce que vous êtes responsable de ce jalon.',
      RISK_CRITICAL: 'Vous recevez cet e-mail parce que vous êtes responsable de ce risque.',
      COMMENTED: 'Vous recevez cet e-mail parce que vous suivez cet élément ou cette discussion.',
      DIGEST:
        'Vous recevez ce récapitulatif quotidien parce que des éléments dont vous êtes responsable arrivent à échéance.',
    },
    open: 'Ouvrir dans Bascule',
  },
  en: {
    subject: (facts, day) => {
      const who = facts.actorName ?? 'Someone';
      switch (facts.kind) {
        case 'MENTIONED':
          return facts.data.inNotes === true
            ? `${who} mentioned you in the notes of “${facts.planTitle}”`
            : `${who} mentioned you: “${facts.title}”`;
        case 'ASSIGNED':
          return `${who} assigned “${facts.title}” to you`;
        case 'APPROVAL_REQUESTED':
          return `Your approval is awaited: “${facts.title}”`;
        case 'MILESTONE_SLIPPED':
          return `Your milestone “${facts.title}” slipped to ${day(facts.data.to)}`;
        case 'MILESTONE_DUE':
          return `Your milestone “${facts.title}” is due on ${day(facts.data.dueDate)}`;
        case 'RISK_CRITICAL':
          return `Your risk “${facts.title}” became critical`;
        case 'COMMENTED':
          return `${who} commented on “${facts.title}”`;
      }
    },
    lead: (facts, day) => {
      const who = facts.actorName ?? 'Someone';
      const plan = `in the plan “${facts.planTitle}”`;
      switch (facts.kind) {
        case 'MENTIONED':
          return facts.data.inNotes === true
            ? `${who} mentioned you in the notes of the plan “${facts.planTitle}”.`
            : `${who} mentioned you ${plan}:`;
        case 'ASSIGNED':
          return `${who} made you the owner of “${facts.title}” ${plan}.`;
        case 'APPROVAL_REQUESTED':
          return `${who} put the checkpoint “${facts.title}” up for review ${plan}. It awaits an approver.`;
        case 'MILESTONE_SLIPPED':
          return `The due date of “${facts.title}” ${plan} moved from ${day(facts.data.from)} to ${day(facts.data.to)} (changed by ${who}).`;
        case 'MILESTONE_DUE':
          return `“${facts.title}” ${plan} is due on ${day(facts.data.dueDate)} and is not done.`;
        case 'RISK_CRITICAL':
          return `“${facts.title}” ${plan} reached a score of ${String(facts.data.score)} out of 25 (changed by ${who}).`;
        case 'COMMENTED':
          return `${who} wrote about “${facts.title}” ${plan}:`;
      }
    },
    reason: {
      MENTIONED: 'You receive this e-mail because someone mentioned you.',
      ASSIGNED: 'You receive this e-mail because something in a plan was assigned to you.',
      APPROVAL_REQUESTED: 'You receive this e-mail because you approve this plan’s checkpoints.',
      MILESTONE_SLIPPED: 'You receive this e-mail because you own this milestone.',
      MILESTONE_DUE: 'You receive this e-mail because you own this milestone.',
      RISK_CRITICAL: 'You receive this e-mail because you own this risk.',
      COMMENTED: 'You receive this e-mail because you follow this entry or this thread.',
      DIGEST: 'You receive this daily digest because items you own are due.',
    },
    open: 'Open in Bascule',
  },
};

/** The subject, lead and reason of a notification's e-mail, in `language`. */
export function notificationWords(
  facts: NotificationFacts,
  language: Language,
): { subject: string; lead: string; reason: string; open: string } {
  const words = WORDS[language];
  const day = (value: unknown) => formatDay(value, language);
  return {
    subject: words.subject(facts, day),
    lead: words.lead(facts, day),
    reason: words.reason[facts.kind],
    open: words.open,
  };
}

/** Why a person receives a kind of e-mail, in `language` (for the digest's footer and the unsubscribe page). */
export const reasonFor = (kind: NotificationKind, language: Language): string => WORDS[language].reason[kind];

/** One item of a person's digest. */
export interface DigestItem {
  readonly planTitle: string;
  readonly title: string;
  readonly kind: 'milestone' | 'checkpoint';
  /** The milestone's due date, or the due date of the milestone a checkpoint gates. */
  readonly dueDate: string;
  readonly overdue: boolean;
  readonly url: string;
}

/** The digest's words in `language`. */
export function digestWords(
  day: string,
  items: readonly DigestItem[],
  language: Language,
): { subject: string; intro: string; lines: { label: string; detail: string; url: string }[]; open: string } {
  const date = (value: string) => formatDay(value, language);
  const fr = language === 'fr';
  const overdue = items.filter((item) => item.overdue).length;
  return {
    subject: fr
      ? `Bascule – votre récapitulatif du ${date(day)} : ${items.length} élément${items.length > 1 ? 's' : ''} à échéance${overdue > 0 ? `, dont ${overdue} en retard` : ''}`
      : `Bascule – your digest for ${date(day)}: ${items.length} item${items.length > 1 ? 's' : ''} due${overdue > 0 ? `, ${overdue} overdue` : ''}`,
    intro: fr
      ? 'Voici ce dont vous êtes responsable et qui arrive à échéance dans les 7 jours, ou qui est en retard :'
      : 'Here is what you own that is due within 7 days, or overdue:',
    lines: items.map((item) => ({
      label: fr
        ? `${item.planTitle} – ${item.kind === 'milestone' ? 'jalon' : 'point de contrôle'} « ${item.title} »`
        : `${item.planTitle} – ${item.kind} “${item.title}”`,
      detail: item.overdue
        ? fr
          ? `en retard : échéance le ${date(item.dueDate)}`
          : `overdue: due on ${date(item.dueDate)}`
        : fr
          ? `échéance le ${date(item.dueDate)}`
          : `due on ${date(item.dueDate)}`,
      url: item.url,
    })),
    open: fr ? 'Ouvrir Bascule' : 'Open Bascule',
  };
}
