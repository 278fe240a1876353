import type { CommentThread } from '@bascule/plan-model';
import { useI18n } from '../../i18n/i18n';
import { useEditor } from '../context';
import { titleOf } from './about';
import { useDiscussion } from './discussion-context';

/** In the plan's Discussion: what a thread is about, with the way to the entry's own discussion. */
export function ThreadAbout({ thread }: { readonly thread: CommentThread }) {
  const { t } = useI18n();
  const { content } = useEditor();
  const { open } = useDiscussion();
  if (thread.subject === 'plan') return <p className="thread-about muted">{t('subject.plan')}</p>;
  const title = titleOf(content, thread);
  const named = t('discussion.aboutEntry', {
    subject: t(`subject.${thread.subject}`),
    title: title ?? t('discussion.deletedEntry'),
  });
  return (
    <p className="thread-about muted">
      {title === null ? (
        named
      ) : (
        <button type="button" className="link" onClick={() => open(thread)}>
          {named}
        </button>
      )}
    </p>
  );
}
