import { useI18n } from '../../i18n/i18n';
import type { About } from './about';
import { CommentComposer } from './CommentComposer';
import { useCommentWriter } from './use-comment-writer';

/** Starts a thread about the plan or one of its entries. */
export function NewThread({ about, label }: { readonly about: About; readonly label: string }) {
  const { t } = useI18n();
  const writer = useCommentWriter();
  return (
    <div className="new-thread">
      <CommentComposer
        label={label}
        submitLabel={t('comment.post')}
        testId="new-thread"
        onSubmit={(body) => writer.add(about, null, body)}
      />
      {writer.problem !== null && (
        <p role="alert" className="error">
          {writer.problem}
        </p>
      )}
    </div>
  );
}
