import { type Comment, commentThreads } from '@bascule/plan-model';
import { createContext, useContext } from 'react';
import { type About, aboutKey } from './about';

export interface Discussion {
  /** How many open threads each entry has, by `aboutKey`. */
  readonly openCounts: ReadonlyMap<string, number>;
  /** Opens the discussion of an entry beside the editor (the plan's own is its Discussion tab). */
  readonly open: (about: About) => void;
  /** The comment a link pointed at (a notification, an e-mail): scrolled to and marked. */
  readonly highlighted: string | null;
}

export const DiscussionContext = createContext<Discussion | null>(null);

export function useDiscussion(): Discussion {
  const value = useContext(DiscussionContext);
  if (value === null) throw new Error('useDiscussion outside the plan editor');
  return value;
}

/** The open threads of each entry, by `aboutKey`. */
export function openThreadCounts(comments: readonly Comment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of commentThreads(comments))
    if (thread.state === 'OPEN') {
      const key = aboutKey(thread);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  return counts;
}
