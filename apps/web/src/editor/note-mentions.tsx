import { isChangeOrigin } from '@tiptap/extension-collaboration';
import Mention, { type MentionNodeAttrs } from '@tiptap/extension-mention';
import type { AnyExtension } from '@tiptap/react';
import type { SuggestionKeyDownProps, SuggestionProps } from '@tiptap/suggestion';
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { Person } from './context';
import { matchPeople } from './discussion/mention-query';
import { MentionList, mentionOptionId, movedIndex } from './discussion/MentionList';

interface Open {
  /** Where the list is drawn: placed and kept beside the caret by the suggestion plugin. */
  readonly element: HTMLElement;
  /** The editor's own element, which names the active option while focus stays in the text. */
  readonly text: Element;
  readonly people: readonly Person[];
  readonly active: number;
  readonly choose: (person: Person) => void;
}

/**
 * `@` in the notes: TipTap's Mention node (`mention`, with the member's `id` and `label`, what the
 * server reads to notify them), suggesting the plan's people in a list beside the caret.
 */
export function useNoteMentions(people: readonly Person[]): {
  readonly extension: AnyExtension;
  readonly list: ReactNode;
} {
  const listId = useId();
  // The plugin is made once, with the editor; it reads the people and the list as they are now.
  const peopleNow = useRef(people);
  peopleNow.current = people;
  const [open, setOpen] = useState<Open | null>(null);
  const openNow = useRef(open);
  openNow.current = open;

  const extension = useMemo(
    () =>
      Mention.configure({
        HTMLAttributes: { class: 'mention' },
        suggestion: {
          items: ({ query }) => matchPeople(peopleNow.current, query),
          // Another editor's change passing by the caret opens nothing here.
          shouldShow: ({ transaction }) => !isChangeOrigin(transaction),
          render: () => {
            let unmount: (() => void) | undefined;
            const show = (props: SuggestionProps<Person, MentionNodeAttrs>, element: HTMLElement) =>
              setOpen({
                element,
                text: props.editor.view.dom,
                people: props.items,
                active: 0,
                choose: (person) => props.command({ id: person.id, label: person.name }),
              });
            return {
              onStart: (props) => {
                const element = document.createElement('div');
                element.className = 'mention-popup';
                unmount = props.mount(element);
                show(props, element);
              },
              onUpdate: (props) => {
                const current = openNow.current;
                if (current !== null) show(props, current.element);
              },
              onKeyDown: ({ event }: SuggestionKeyDownProps) => {
                const current = openNow.current;
                if (current === null || current.people.length === 0) return false;
                const moved = movedIndex(event.key, current.active, current.people.length);
                if (moved !== null) setOpen({ ...current, active: moved });
                else if (event.key === 'Enter' || event.key === 'Tab') {
                  const person = current.people[current.active];
                  if (person !== undefined) current.choose(person);
                } else return false;
                return true;
              },
              onExit: () => {
                unmount?.();
                setOpen(null);
              },
            };
          },
        },
      }),
    [],
  );
  const active = open === null || open.people.length === 0 ? null : mentionOptionId(listId, open.active);
  const text = open?.text ?? null;
  useEffect(() => {
    if (text === null || active === null) return;
    text.setAttribute('aria-controls', listId);
    text.setAttribute('aria-activedescendant', active);
    return () => {
      text.removeAttribute('aria-controls');
      text.removeAttribute('aria-activedescendant');
    };
  }, [text, active, listId]);
  const list =
    open === null || open.people.length === 0
      ? null
      : createPortal(
          <MentionList id={listId} people={open.people} active={open.active} onChoose={open.choose} />,
          open.element,
        );
  return { extension, list };
}
