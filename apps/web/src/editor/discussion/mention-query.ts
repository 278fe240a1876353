import type { Person } from '../context';

/**
 * The `@name` being typed just before the caret: where its `@` stands and what follows it. A name
 * may hold spaces (`@Marie Cur`), so the query runs to the caret; an `@` inside a word (an e-mail
 * address) starts none.
 */
export function mentionQueryAt(text: string, caret: number): { readonly start: number; readonly query: string } | null {
  const match = /(?:^|\s)@([^\s@[\]()][^@\n[\]()]{0,40})?$/.exec(text.slice(0, caret));
  if (match === null) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** The people whose name holds the query, case and accents aside; at most `limit`. */
export function matchPeople(people: readonly Person[], query: string, limit = 8): Person[] {
  const wanted = fold(query.trim());
  return people.filter((person) => fold(person.name).includes(wanted)).slice(0, limit);
}
