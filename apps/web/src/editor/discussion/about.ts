import { COMMENT_SUBJECTS, type CommentSubject, type PlanContent } from '@bascule/plan-model';

/** What a thread is about: the plan itself, or one entry of a collection. */
export interface About {
  readonly subject: CommentSubject;
  readonly entryId: string | null;
}

export const PLAN_ABOUT: About = { subject: 'plan', entryId: null };

/** One key per entry (and one for the plan), for maps of counts. */
export const aboutKey = (about: About): string => `${about.subject}/${about.entryId ?? ''}`;

/** The entry's title as it reads now (a workload's name, the plan's title); null when it was deleted since. */
export function titleOf(content: PlanContent, about: About): string | null {
  if (about.subject === 'plan' || about.entryId === null) return content.meta.title;
  const entries: readonly { readonly id: string; readonly title?: string; readonly name?: string }[] =
    content[about.subject];
  const entry = entries.find((found) => found.id === about.entryId);
  return entry === undefined ? null : (entry.title ?? entry.name ?? null);
}

/** What a link's `focus` (`risks/<id>`, as notifications and e-mails write it) points at; the plan when nothing. */
export function aboutOfLink(focus: string | null): About {
  const [subject, entryId] = (focus ?? '').split('/');
  return COMMENT_SUBJECTS.some((known) => known === subject) &&
    subject !== 'plan' &&
    entryId !== undefined &&
    entryId !== ''
    ? { subject: subject as CommentSubject, entryId }
    : PLAN_ABOUT;
}
