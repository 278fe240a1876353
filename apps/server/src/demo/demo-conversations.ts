import {
  createEntry,
  isCleared,
  type Language,
  type Localized,
  mentionOf,
  pick,
  readPlan,
  riskScore,
  updateEntry,
} from '@bascule/plan-model';
import type * as Y from 'yjs';

/** Who talks in the demo: the owner (who decides) and the member (who does the work). */
export interface DemoPeople {
  readonly ownerId: string;
  readonly ownerName: string;
  readonly memberId: string;
  readonly memberName: string;
}

const QUESTION: Localized = {
  fr: 'la clause de réversibilité est-elle validée par le juridique ? Sans elle, on ne peut pas **lancer la vague suivante**.',
  en: 'has legal approved the reversibility clause? Without it we cannot **start the next wave**.',
};
const ANSWER: Localized = {
  fr: 'Relancé hier, réponse attendue vendredi. Je mets le risque à jour dès que j’ai le retour.',
  en: 'Chased yesterday, answer expected on Friday. I will update the risk as soon as I hear back.',
};
const ANNOUNCEMENT: Localized = {
  fr: 'Le comité de pilotage passe au jeudi, 10 h. Ordre du jour : les points de contrôle SecNumCloud restants.',
  en: 'The steering committee moves to Thursday, 10 am. Agenda: the SecNumCloud checkpoints still open.',
};
const NOTED: Localized = {
  fr: 'Noté, invitation mise à jour.',
  en: 'Noted, invitation updated.',
};

/**
 * The demo owner and member share the work of a plan: the member owns the next open milestones,
 * the owner the highest open risks and the open checkpoints. Written as the owner would.
 */
export function demoAssignments(doc: Y.Doc, people: DemoPeople): void {
  const content = readPlan(doc);
  const open = content.milestones
    .filter((milestone) => milestone.status !== 'DONE' && milestone.dueDate !== null)
    .sort((a, b) => (a.dueDate ?? '').localeCompare(b.dueDate ?? ''))
    .slice(0, 2);
  for (const milestone of open)
    updateEntry(doc, 'milestones', milestone.id, { ownerId: people.memberId, owner: people.memberName });
  for (const risk of topRisks(doc, 2))
    updateEntry(doc, 'risks', risk, { ownerId: people.ownerId, owner: people.ownerName });
  for (const checkpoint of content.checkpoints.filter((found) => !isCleared(found.status)).slice(0, 3))
    updateEntry(doc, 'checkpoints', checkpoint.id, { ownerId: people.ownerId });
}

/** The member asks the owner about the plan's highest risk, mentioning them; returns the thread's id. */
export function demoQuestion(doc: Y.Doc, people: DemoPeople, language: Language, at: string): string | null {
  const [risk] = topRisks(doc, 1);
  if (risk === undefined) return null;
  return createEntry(
    doc,
    'comments',
    {
      subject: 'risks',
      entryId: risk,
      body: `${mentionOf(people.ownerName, people.ownerId)} ${pick(QUESTION, language)}`,
      ...stamps(people.memberId, people.memberName, at),
    },
    { trusted: true },
  );
}

/** The owner's answer in the member's thread. */
export function demoAnswer(doc: Y.Doc, people: DemoPeople, language: Language, threadId: string, at: string): void {
  createEntry(
    doc,
    'comments',
    {
      threadId,
      subject: 'risks',
      entryId: readPlan(doc).comments.find((found) => found.id === threadId)?.entryId,
      body: pick(ANSWER, language),
      ...stamps(people.ownerId, people.ownerName, at),
    },
    { trusted: true },
  );
}

/** A plan-wide announcement by the owner, noted by the member, resolved. */
export function demoAnnouncement(doc: Y.Doc, people: DemoPeople, language: Language, at: string): void {
  const threadId = createEntry(
    doc,
    'comments',
    {
      subject: 'plan',
      body: pick(ANNOUNCEMENT, language),
      state: 'RESOLVED',
      resolvedBy: people.ownerName,
      resolvedAt: at,
      ...stamps(people.ownerId, people.ownerName, at),
    },
    { trusted: true },
  );
  createEntry(
    doc,
    'comments',
    { threadId, subject: 'plan', body: pick(NOTED, language), ...stamps(people.memberId, people.memberName, at) },
    { trusted: true },
  );
}

const stamps = (authorId: string, authorName: string, at: string) => ({ authorId, authorName, createdAt: at });

function topRisks(doc: Y.Doc, count: number): string[] {
  return readPlan(doc)
    .risks.filter((risk) => risk.status !== 'CLOSED')
    .sort((a, b) => riskScore(b) - riskScore(a))
    .slice(0, count)
    .map((risk) => risk.id);
}
