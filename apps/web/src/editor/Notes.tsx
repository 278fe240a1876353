import { NOTES_FIELD } from '@bascule/plan-model';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { useMemo } from 'react';
import { useI18n } from '../i18n/i18n';
import { useEditor } from './context';
import { useNoteMentions } from './note-mentions';
import type { PlanConnection } from './plan-connection';
import { RichText } from './RichText';

/**
 * The plan's rich notes, co-edited through TipTap's collaboration extension on the document's
 * `notes` fragment, with the other editors' carets (named and coloured by the server) and `@`
 * mentions of the plan's people (notified by the server).
 */
export default function Notes({ connection }: { readonly connection: PlanConnection }) {
  const { t } = useI18n();
  const { readOnly, viewerName, people, setEditing } = useEditor();
  const mentions = useNoteMentions(people);
  const extensions = useMemo(
    () => [
      CollaborationCaret.configure({ provider: connection.provider, user: { name: viewerName, color: '#1f6feb' } }),
      mentions.extension,
    ],
    [connection, viewerName, mentions.extension],
  );
  return (
    <div className="notes card">
      <RichText
        fragment={connection.doc.getXmlFragment(NOTES_FIELD)}
        readOnly={readOnly}
        label={t('editor.tab.notes')}
        testId="notes-editor"
        className="notes-body"
        extensions={extensions}
        headings
        onFocusChange={(focused) => setEditing(focused ? 'notes' : null)}
      />
      {mentions.list}
    </div>
  );
}
