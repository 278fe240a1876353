import { useI18n } from '../../i18n/i18n';
import type { Person } from '../context';

/**
 * The people an `@` may mention, as a listbox whose active option the typing field names
 * (aria-activedescendant): focus stays in the text while arrows move through the list.
 */
export function MentionList({
  id,
  people,
  active,
  onChoose,
}: {
  readonly id: string;
  readonly people: readonly Person[];
  readonly active: number;
  readonly onChoose: (person: Person) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <ul id={id} role="listbox" aria-label={t('mention.list')} className="mention-list" data-testid="mention-list">
        {people.map((person, index) => (
          <li
            key={person.id}
            id={mentionOptionId(id, index)}
            role="option"
            aria-selected={index === active}
            // Chosen on press, before the text loses the focus (which would close the list).
            onMouseDown={(event) => {
              event.preventDefault();
              onChoose(person);
            }}
          >
            {person.name}
          </li>
        ))}
      </ul>
      <span role="status" className="visually-hidden">
        {t('mention.matches', { count: people.length })}
      </span>
    </>
  );
}

export const mentionOptionId = (listId: string, index: number) => `${listId}-${index}`;

/** The next active option for an arrow key, wrapping around; null for any other key. */
export function movedIndex(key: string, active: number, count: number): number | null {
  if (key === 'ArrowDown') return (active + 1) % count;
  if (key === 'ArrowUp') return (active + count - 1) % count;
  return null;
}
