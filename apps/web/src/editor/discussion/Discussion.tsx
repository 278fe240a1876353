import { commentThreads, THREAD_STATES, type ThreadState } from '@bascule/plan-model';
import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { useEditor } from '../context';
import { PLAN_ABOUT } from './about';
import { useDiscussion } from './discussion-context';
import { NewThread } from './NewThread';
import { Thread } from './Thread';

/** The plan's Discussion tab: every thread (about the plan or any entry), open or resolved. */
export default function Discussion() {
  const { t } = useI18n();
  const { content } = useEditor();
  const { highlighted } = useDiscussion();
  const threads = useMemo(() => commentThreads(content.comments), [content.comments]);
  const [state, setState] = useState<ThreadState>('OPEN');
  const markedState = threads.find(
    (thread) => thread.id === highlighted || thread.replies.some((reply) => reply.id === highlighted),
  )?.state;
  useEffect(() => {
    if (markedState !== undefined) setState(markedState);
  }, [markedState]);
  const shown = threads.filter((thread) => thread.state === state);
  return (
    <div className="discussion" data-testid="plan-discussion">
      <NewThread about={PLAN_ABOUT} label={t('discussion.newPlanThread')} />
      <div className="segmented" role="group" aria-label={t('discussion.filter')}>
        {THREAD_STATES.map((value) => (
          <button key={value} type="button" aria-pressed={state === value} onClick={() => setState(value)}>
            {t(`discussion.filter.${value}`)}{' '}
            <span className="tab-count">{threads.filter((thread) => thread.state === value).length}</span>
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">
          {t(
            state === 'RESOLVED'
              ? 'discussion.noResolved'
              : threads.length === 0
                ? 'discussion.noThreads'
                : 'discussion.noOpen',
          )}
        </p>
      ) : (
        shown.map((thread) => <Thread key={thread.id} thread={thread} showAbout />)
      )}
    </div>
  );
}
