import { NOTES_FIELD } from '@bascule/plan-model';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor as useTipTap } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import { useEditor } from './context';
import type { PlanConnection } from './plan-connection';

/**
 * The plan's rich notes, co-edited through TipTap's collaboration extension on the document's
 * `notes` fragment, with the other editors' carets (named and coloured by the server).
 */
export default function Notes({ connection }: { readonly connection: PlanConnection }) {
  const { t } = useI18n();
  const { readOnly, viewerName, setEditing } = useEditor();
  const editor = useTipTap(
    {
      editable: !readOnly,
      extensions: [
        // Undo belongs to the collaboration extension (it only undoes this person's changes).
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment: connection.doc.getXmlFragment(NOTES_FIELD) }),
        CollaborationCaret.configure({ provider: connection.provider, user: { name: viewerName, color: '#1f6feb' } }),
      ],
      editorProps: {
        attributes: { 'aria-label': t('editor.tab.notes'), 'data-testid': 'notes-editor', class: 'notes-body' },
      },
      onFocus: () => setEditing('notes'),
      onBlur: () => setEditing(null),
    },
    [connection],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  return (
    <div className="notes card">
      {!readOnly && editor !== null && (
        <div className="toolbar" role="toolbar" aria-label={t('editor.notes.toolbar')}>
          <button
            type="button"
            aria-pressed={editor.isActive('heading', { level: 2 })}
            onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}
          >
            {t('editor.notes.heading')}
          </button>
          <button
            type="button"
            aria-pressed={editor.isActive('bold')}
            onClick={() => editor.chain().focus().toggleBold().run()}
          >
            <strong>{t('editor.notes.bold')}</strong>
          </button>
          <button
            type="button"
            aria-pressed={editor.isActive('italic')}
            onClick={() => editor.chain().focus().toggleItalic().run()}
          >
            <em>{t('editor.notes.italic')}</em>
          </button>
          <button
            type="button"
            aria-pressed={editor.isActive('bulletList')}
            onClick={() => editor.chain().focus().toggleBulletList().run()}
          >
            {t('editor.notes.list')}
          </button>
        </div>
      )}
      <EditorContent editor={editor} />
    </div>
  );
}
