import { commentPlainText } from '@bascule/plan-model';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n/i18n';
import { CommentText } from './CommentText';
import { useMentionInput } from './use-mention-input';

/** The longest comment the plan's document takes. */
const BODY_MAX = 10_000;

/**
 * Writes a comment: a text field with `@` suggestions of the plan's people, a preview whenever
 * the text reads differently from what was typed (marks, links, mentions shown by name), sent with
 * the button or Ctrl+Enter. `onSubmit` says whether it was written; the text is cleared if so.
 */
export function CommentComposer({
  label,
  submitLabel,
  initial = '',
  onSubmit,
  onCancel,
  autoFocus = false,
  testId,
}: {
  readonly label: string;
  readonly submitLabel: string;
  readonly initial?: string;
  readonly onSubmit: (body: string) => Promise<boolean>;
  /** Offered (and bound to Escape) when the composer can be put away: an edit, a reply. */
  readonly onCancel?: () => void;
  readonly autoFocus?: boolean;
  readonly testId: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState(initial);
  const [busy, setBusy] = useState(false);
  const mentions = useMentionInput(field, body, setBody);
  const empty = body.trim() === '';

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (empty || busy) return;
    setBusy(true);
    const written = await onSubmit(body);
    setBusy(false);
    if (written) setBody('');
  }

  return (
    <form className="composer" onSubmit={(event) => void submit(event)} data-testid={testId}>
      <label htmlFor={`${id}-text`}>{label}</label>
      <div className="composer-field">
        <textarea
          id={`${id}-text`}
          ref={field}
          value={body}
          rows={3}
          maxLength={BODY_MAX}
          autoFocus={autoFocus}
          aria-describedby={`${id}-hint`}
          {...mentions.aria}
          onChange={(event) => {
            setBody(event.target.value);
            mentions.onCaret();
          }}
          onSelect={mentions.onCaret}
          onKeyDown={(event) => {
            if (mentions.onKeyDown(event)) {
              // Escape closing the list must not close what holds the composer too.
              event.stopPropagation();
              return;
            }
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit();
            else if (event.key === 'Escape' && onCancel !== undefined) {
              event.stopPropagation();
              onCancel();
            }
          }}
        />
        {mentions.list}
      </div>
      <p id={`${id}-hint`} className="hint muted">
        {t('comment.hint')}
      </p>
      {!empty && commentPlainText(body) !== body.trim() && (
        <div className="comment-preview" data-testid="comment-preview">
          <span className="label">{t('comment.preview')}</span>
          <CommentText body={body} />
        </div>
      )}
      <div className="actions">
        {onCancel !== undefined && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('cancel')}
          </button>
        )}
        <button type="submit" disabled={empty || busy}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
