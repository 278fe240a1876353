import { type CollectionName, deleteEntry, moveEntry } from '@bascule/plan-model';
import { useI18n } from '../i18n/i18n';
import { useEditorTools } from './context';

/** Move up, move down and delete for one entry of a collection (keyboard reachable, labelled). */
export function EntryActions({
  collection,
  id,
  index,
  count,
  name,
}: {
  readonly collection: CollectionName;
  readonly id: string;
  readonly index: number;
  readonly count: number;
  readonly name: string;
}) {
  const { t } = useI18n();
  const { doc, readOnly, edit } = useEditorTools();
  if (readOnly) return null;
  return (
    <span className="entry-actions">
      <button
        type="button"
        className="icon"
        aria-label={t('editor.moveUp', { name })}
        disabled={index === 0}
        onClick={() => edit(() => moveEntry(doc, collection, id, index - 1))}
      >
        ↑
      </button>
      <button
        type="button"
        className="icon"
        aria-label={t('editor.moveDown', { name })}
        disabled={index === count - 1}
        onClick={() => edit(() => moveEntry(doc, collection, id, index + 1))}
      >
        ↓
      </button>
      <button
        type="button"
        className="icon danger"
        aria-label={t('editor.deleteEntry', { name })}
        onClick={() => {
          if (window.confirm(t('editor.confirmDelete', { name }))) edit(() => deleteEntry(doc, collection, id));
        }}
      >
        ×
      </button>
    </span>
  );
}
