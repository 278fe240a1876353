import type { CommentSubject } from '@bascule/plan-model';
import { useI18n } from '../../i18n/i18n';
import { aboutKey } from './about';
import { useDiscussion } from './discussion-context';

/**
 * Opens an entry's discussion; shows how many of its threads are open. It reads the counts from
 * the discussion's context, so a row memoised on its entry still shows a new thread at once.
 */
export function DiscussButton({
  subject,
  entryId,
  title,
}: {
  readonly subject: CommentSubject;
  readonly entryId: string;
  readonly title: string;
}) {
  const { t } = useI18n();
  const { openCounts, open } = useDiscussion();
  const count = openCounts.get(aboutKey({ subject, entryId })) ?? 0;
  return (
    <button
      type="button"
      className="icon discuss"
      aria-label={count === 0 ? t('discussion.discuss', { title }) : t('discussion.discussOpen', { title, count })}
      data-testid="discuss"
      data-open-threads={count}
      onClick={() => open({ subject, entryId })}
    >
      <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
        <path d="M2 2.5h12v8H6l-3 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      </svg>
      {count > 0 && <span className="count-badge">{count}</span>}
    </button>
  );
}
