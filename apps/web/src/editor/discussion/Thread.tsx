import type { Comment, CommentThread } from '@bascule/plan-model';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { RelativeTime } from '../../ui/RelativeTime';
import { useEditorTools } from '../context';
import { CommentComposer } from './CommentComposer';
import { CommentText } from './CommentText';
import { useDiscussion } from './discussion-context';
import { ThreadAbout } from './ThreadAbout';
import { useCommentWriter } from './use-comment-writer';

/**
 * A thread: its first comment and the replies, answered below; resolved or reopened by anyone. A
 * resolved thread folds its replies away, unless a link points at one of them.
 */
export function Thread({
  thread,
  showAbout = false,
}: {
  readonly thread: CommentThread;
  readonly showAbout?: boolean;
}) {
  const { t } = useI18n();
  const { highlighted } = useDiscussion();
  const writer = useCommentWriter();
  const [unfolded, setUnfolded] = useState(false);
  const starter = thread.first?.authorName ?? t('comment.someone');
  const resolved = thread.state === 'RESOLVED';
  // A thread whose first comment was deleted is closed: its replies stay in view, nobody answers.
  const headless = thread.first === null;
  const folded = resolved && !headless && !unfolded && !thread.replies.some((reply) => reply.id === highlighted);
  return (
    <article
      className={resolved ? 'thread card resolved' : 'thread card'}
      aria-label={t('thread.label', { name: starter })}
      data-testid="thread"
      data-thread-id={thread.id}
      data-state={thread.state}
    >
      {showAbout && <ThreadAbout thread={thread} />}
      {/* Announced as they arrive: a reply from someone else while this person reads the thread. */}
      <ol className="comments" aria-live="polite" aria-relevant="additions">
        {thread.first === null ? (
          <li className="comment muted">{t('thread.firstDeleted')}</li>
        ) : (
          <CommentItem comment={thread.first} />
        )}
        {!folded && thread.replies.map((reply) => <CommentItem key={reply.id} comment={reply} />)}
      </ol>
      <div className="thread-foot">
        {resolved && thread.first !== null && (
          <span className="tag thread-state" data-testid="thread-resolved">
            {thread.first.resolvedBy === null
              ? t('thread.resolved')
              : t('thread.resolvedBy', { name: thread.first.resolvedBy })}
            {thread.first.resolvedAt !== null && (
              <>
                {' '}
                · <RelativeTime at={thread.first.resolvedAt} />
              </>
            )}
          </span>
        )}
        {!headless && (
          <button
            type="button"
            className="secondary"
            onClick={() => void writer.setState(thread.id, resolved ? 'OPEN' : 'RESOLVED')}
          >
            {resolved ? t('thread.reopen') : t('thread.resolve')}
          </button>
        )}
        {!folded
          ? !headless && <Reply thread={thread} starter={starter} />
          : thread.replies.length > 0 && (
              <button type="button" className="link" onClick={() => setUnfolded(true)}>
                {t('thread.showReplies', { count: thread.replies.length })}
              </button>
            )}
      </div>
      {writer.problem !== null && (
        <p role="alert" className="error">
          {writer.problem}
        </p>
      )}
    </article>
  );
}

/** A "Reply" button that becomes a composer, and comes back (focused) once the reply is sent. */
function Reply({ thread, starter }: { readonly thread: CommentThread; readonly starter: string }) {
  const { t } = useI18n();
  const writer = useCommentWriter();
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    requestAnimationFrame(() => button.current?.focus());
  };
  if (!open)
    return (
      <button ref={button} type="button" className="secondary" onClick={() => setOpen(true)}>
        {t('thread.reply')}
      </button>
    );
  return (
    <div className="reply">
      <CommentComposer
        label={t('thread.replyTo', { name: starter })}
        submitLabel={t('thread.reply')}
        autoFocus
        testId="reply"
        onCancel={close}
        onSubmit={async (body) => {
          const written = await writer.add(thread, thread.id, body);
          if (written) close();
          return written;
        }}
      />
      {writer.problem !== null && (
        <p role="alert" className="error">
          {writer.problem}
        </p>
      )}
    </div>
  );
}

function CommentItem({ comment }: { readonly comment: Comment }) {
  const { t } = useI18n();
  const { actor } = useEditorTools();
  const { highlighted } = useDiscussion();
  const writer = useCommentWriter();
  const [editing, setEditing] = useState(false);
  const item = useRef<HTMLLIElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const own = comment.authorId !== null && comment.authorId === actor.userId;
  const marked = highlighted === comment.id;
  useEffect(() => {
    if (!marked) return;
    item.current?.scrollIntoView({ block: 'center' });
    item.current?.focus();
  }, [marked]);
  const stopEditing = () => {
    setEditing(false);
    requestAnimationFrame(() => editButton.current?.focus());
  };
  return (
    <li
      ref={item}
      id={`comment-${comment.id}`}
      className={marked ? 'comment highlighted' : 'comment'}
      tabIndex={marked ? -1 : undefined}
      data-testid="comment"
      data-comment-id={comment.id}
    >
      <div className="comment-meta">
        <strong>{comment.authorName ?? t('comment.someone')}</strong>{' '}
        {comment.createdAt === null ? (
          <span className="muted" data-testid="comment-sending">
            {t('comment.sending')}
          </span>
        ) : (
          <span className="muted">
            <RelativeTime at={comment.createdAt} />
          </span>
        )}
        {comment.editedAt !== null && <span className="muted"> {t('comment.edited')}</span>}
        {own && !editing && (
          <span className="comment-actions">
            <button ref={editButton} type="button" className="link" onClick={() => setEditing(true)}>
              {t('comment.edit')}
            </button>
            <button
              type="button"
              className="link danger"
              onClick={() => {
                if (window.confirm(t('comment.confirmDelete'))) void writer.remove(comment.id);
              }}
            >
              {t('comment.delete')}
            </button>
          </span>
        )}
      </div>
      {editing ? (
        <CommentComposer
          label={t('comment.editLabel')}
          submitLabel={t('save')}
          initial={comment.body}
          autoFocus
          testId="edit-comment"
          onCancel={stopEditing}
          onSubmit={async (body) => {
            const written = body === comment.body || (await writer.edit(comment.id, body));
            if (written) stopEditing();
            return written;
          }}
        />
      ) : (
        <CommentText body={comment.body} />
      )}
      {writer.problem !== null && (
        <p role="alert" className="error">
          {writer.problem}
        </p>
      )}
    </li>
  );
}
