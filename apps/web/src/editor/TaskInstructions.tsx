import { updateEntry } from '@bascule/plan-model';
import type * as Y from 'yjs';
import { useI18n } from '../i18n/i18n';
import { useEditorTools } from './context';
import { TextArea } from './fields';
import { RichText } from './RichText';
import { instructionsFragment } from './runbook-view';

/**
 * A task's instructions, co-edited as rich text in the task's own fragment (the notes' editor,
 * bound to another place of the document); as plain text when the task holds none.
 */
export default function TaskInstructions({ taskId, text }: { readonly taskId: string; readonly text: string }) {
  const { t } = useI18n();
  const { doc, readOnly, edit, setEditing } = useEditorTools();
  const fragment = instructionsFragment(doc, taskId);
  if (fragment === null)
    return (
      <TextArea
        label={t('runbook.field.instructions')}
        value={text}
        maxLength={20_000}
        readOnly={readOnly}
        onFocusChange={(focused) => setEditing(focused ? `runbookTasks/${taskId}` : null)}
        onCommit={(instructions) => edit(() => updateEntry(doc, 'runbookTasks', taskId, { instructions }))}
      />
    );
  return (
    <RichInstructions
      key={`${fragment._item?.id.client ?? 0}:${fragment._item?.id.clock ?? 0}`}
      taskId={taskId}
      fragment={fragment}
    />
  );
}

function RichInstructions({ taskId, fragment }: { readonly taskId: string; readonly fragment: Y.XmlFragment }) {
  const { t } = useI18n();
  const { readOnly, setEditing } = useEditorTools();
  return (
    <div className="instructions">
      <RichText
        fragment={fragment}
        readOnly={readOnly}
        label={t('runbook.field.instructions')}
        testId="task-instructions"
        className="notes-body instructions-body"
        onFocusChange={(focused) => setEditing(focused ? `runbookTasks/${taskId}` : null)}
      />
    </div>
  );
}
