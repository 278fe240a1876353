import { mentionOf } from '@bascule/plan-model';
import { type KeyboardEvent, type ReactNode, type RefObject, useId, useLayoutEffect, useRef, useState } from 'react';
import { useEditorTools } from '../context';
import { matchPeople, mentionQueryAt } from './mention-query';
import { MentionList, mentionOptionId, movedIndex } from './MentionList';

export interface MentionInput {
  /** Handles the list's keys (arrows, Enter, Tab, Escape) while it is open; says whether it did. */
  readonly onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** To call when the caret may have moved (typing, clicks, arrows). */
  readonly onCaret: () => void;
  /** The textarea's ARIA attributes for the list. */
  readonly aria: Readonly<Record<string, string | undefined>>;
  readonly list: ReactNode;
}

/**
 * `@` in a comment's text suggests the plan's people; the one chosen is written as a mention
 * (`@[Name](user:<id>)`, what the server reads to notify them).
 */
export function useMentionInput(
  field: RefObject<HTMLTextAreaElement | null>,
  text: string,
  setText: (text: string) => void,
): MentionInput {
  const { people } = useEditorTools();
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  /** Where the `@` of a list closed with Escape stands: it stays closed until another `@`. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const placeCaret = useRef<number | null>(null);
  const query = mentionQueryAt(text, caret);
  const matches = query === null || query.start === dismissed ? [] : matchPeople(people, query.query);
  const open = matches.length > 0;
  const current = Math.min(active, matches.length - 1);

  useLayoutEffect(() => {
    if (placeCaret.current === null || field.current === null) return;
    field.current.setSelectionRange(placeCaret.current, placeCaret.current);
    placeCaret.current = null;
  }, [text, field]);

  const choose = (index: number) => {
    const person = matches[index];
    if (query === null || person === undefined) return;
    const inserted = `${mentionOf(person.name, person.id)} `;
    placeCaret.current = query.start + inserted.length;
    setCaret(placeCaret.current);
    setText(text.slice(0, query.start) + inserted + text.slice(caret));
  };

  return {
    onKeyDown: (event) => {
      if (!open || query === null) return false;
      const moved = movedIndex(event.key, current, matches.length);
      if (moved !== null) setActive(moved);
      else if (event.key === 'Enter' || event.key === 'Tab') choose(current);
      else if (event.key === 'Escape') setDismissed(query.start);
      else return false;
      event.preventDefault();
      return true;
    },
    onCaret: () => {
      const position = field.current?.selectionStart ?? 0;
      if (position !== caret) setActive(0);
      setCaret(position);
      // The `@` closed with Escape is gone (or the caret left it): the next `@` opens the list again.
      if (mentionQueryAt(field.current?.value ?? '', position)?.start !== dismissed) setDismissed(null);
    },
    aria: {
      'aria-autocomplete': 'list',
      'aria-controls': open ? listId : undefined,
      'aria-activedescendant': open ? mentionOptionId(listId, current) : undefined,
    },
    list: open ? (
      <MentionList
        id={listId}
        people={matches}
        active={current}
        onChoose={(person) => choose(matches.indexOf(person))}
      />
    ) : null,
  };
}
