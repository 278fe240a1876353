import { commentThreads } from '@bascule/plan-model';
import { useEffect, useId, useMemo, useRef } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useEditor } from '../context';
import { type About, titleOf } from './about';
import { useDiscussion } from './discussion-context';
import { NewThread } from './NewThread';
import { Thread } from './Thread';

/**
 * One entry's discussion, beside the editor (the entry stays in view): a new thread, and its
 * threads, the most recently active first; a thread resolved stays where it is, folded (the
 * button that resolved it keeps the focus). Escape or the close button put it away.
 */
export default function EntryDiscussion({ about, onClose }: { readonly about: About; readonly onClose: () => void }) {
  const { t } = useI18n();
  const { content } = useEditor();
  const { highlighted } = useDiscussion();
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const { subject, entryId } = about;
  const threads = useMemo(
    () => commentThreads(content.comments, { subject, entryId }),
    [content.comments, subject, entryId],
  );
  useEffect(() => {
    // A comment pointed at takes the focus itself; otherwise the panel's heading does.
    if (highlighted === null) heading.current?.focus();
  }, [subject, entryId, highlighted]);
  const title = titleOf(content, about) ?? t('discussion.deletedEntry');
  return (
    <aside
      className="discussion-panel"
      aria-labelledby={headingId}
      data-testid="entry-discussion"
      data-subject={subject}
      data-entry-id={entryId ?? ''}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="discussion-panel-head">
        <h2 id={headingId} ref={heading} tabIndex={-1}>
          {t('discussion.about', { title })}
        </h2>
        <button type="button" className="icon" aria-label={t('discussion.close')} onClick={onClose}>
          ×
        </button>
      </div>
      <NewThread about={about} label={t('discussion.newThread')} />
      {threads.length === 0 && <p className="muted">{t('discussion.noThreads')}</p>}
      {threads.map((thread) => (
        <Thread key={thread.id} thread={thread} />
      ))}
    </aside>
  );
}
