import Collaboration from '@tiptap/extension-collaboration';
import { type AnyExtension, type Editor, EditorContent, useEditor as useTipTap } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import type * as Y from 'yjs';
import { useI18n } from '../i18n/i18n';

/**
 * Rich text co-edited through TipTap's collaboration extension on a fragment of the plan's
 * document (the notes, a task's instructions), with a toolbar while it may be edited.
 */
export function RichText({
  fragment,
  readOnly,
  label,
  testId,
  className,
  extensions = [],
  headings = false,
  onFocusChange,
}: {
  readonly fragment: Y.XmlFragment;
  readonly readOnly: boolean;
  readonly label: string;
  readonly testId: string;
  readonly className: string;
  /** More extensions (the other editors' carets). */
  readonly extensions?: readonly AnyExtension[];
  /** Offers headings and italics besides bold and lists (a document's page, not a field of a form). */
  readonly headings?: boolean;
  readonly onFocusChange: (focused: boolean) => void;
}) {
  const editor = useTipTap(
    {
      editable: !readOnly,
      extensions: [
        // Undo belongs to the collaboration extension (it only undoes this person's changes).
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ fragment }),
        ...extensions,
      ],
      editorProps: { attributes: { 'aria-label': label, 'data-testid': testId, class: className } },
      onFocus: () => onFocusChange(true),
      onBlur: () => onFocusChange(false),
    },
    [fragment],
  );
  useEffect(() => {
    editor?.setEditable(!readOnly);
  }, [editor, readOnly]);
  return (
    <>
      {!readOnly && editor !== null && <Toolbar editor={editor} headings={headings} />}
      <EditorContent editor={editor} />
    </>
  );
}

function Toolbar({ editor, headings }: { readonly editor: Editor; readonly headings: boolean }) {
  const { t } = useI18n();
  const button = (pressed: boolean, toggle: () => void, label: React.ReactNode) => (
    <button type="button" className={headings ? undefined : 'secondary'} aria-pressed={pressed} onClick={toggle}>
      {label}
    </button>
  );
  const chain = () => editor.chain().focus();
  return (
    <div className="toolbar" role="toolbar" aria-label={t('editor.notes.toolbar')}>
      {headings &&
        button(
          editor.isActive('heading', { level: 2 }),
          () => chain().toggleHeading({ level: 2 }).run(),
          t('editor.notes.heading'),
        )}
      {button(editor.isActive('bold'), () => chain().toggleBold().run(), <strong>{t('editor.notes.bold')}</strong>)}
      {headings &&
        button(editor.isActive('italic'), () => chain().toggleItalic().run(), <em>{t('editor.notes.italic')}</em>)}
      {button(editor.isActive('bulletList'), () => chain().toggleBulletList().run(), t('editor.notes.list'))}
    </div>
  );
}
