import { type CommentBlock, commentBlocks, type CommentSpan } from '@bascule/plan-model';
import { type ReactNode, useMemo } from 'react';
import { useViewer } from '../../viewer';

/**
 * A comment's Markdown-light text as React elements, from plan-model's one reading of it: text is
 * only ever text (never HTML), links open in a new tab without a handle on this page, mentions
 * stand out (more so the reader's own).
 */
export function CommentText({ body }: { readonly body: string }) {
  const me = useViewer()?.user.id ?? null;
  const groups = useMemo(() => groupItems(commentBlocks(body)), [body]);
  return (
    <div className="comment-text">
      {groups.map((group, index) =>
        group.kind === 'paragraph' ? (
          <p key={index}>
            <Spans spans={group.spans} me={me} />
          </p>
        ) : (
          <ul key={index}>
            {group.items.map((item, position) => (
              <li key={position}>
                <Spans spans={item.spans} me={me} />
              </li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

type Group =
  | { readonly kind: 'paragraph'; readonly spans: readonly CommentSpan[] }
  | { readonly kind: 'list'; readonly items: CommentBlock[] };

/** Consecutive list items make one list. */
function groupItems(blocks: readonly CommentBlock[]): Group[] {
  const groups: Group[] = [];
  for (const block of blocks) {
    const last = groups.at(-1);
    if (block.kind === 'paragraph') groups.push({ kind: 'paragraph', spans: block.spans });
    else if (last?.kind === 'list') last.items.push(block);
    else groups.push({ kind: 'list', items: [block] });
  }
  return groups;
}

function Spans({ spans, me }: { readonly spans: readonly CommentSpan[]; readonly me: string | null }) {
  return spans.map((span, index) => <Span key={index} span={span} me={me} />);
}

function Span({ span, me }: { readonly span: CommentSpan; readonly me: string | null }) {
  if (span.lineBreak === true) return <br />;
  let node: ReactNode = span.text;
  if (span.code === true) node = <code>{node}</code>;
  if (span.italic === true) node = <em>{node}</em>;
  if (span.bold === true) node = <strong>{node}</strong>;
  if (span.mention !== undefined)
    node = (
      <span className={span.mention === me ? 'mention mention-me' : 'mention'} data-user-id={span.mention}>
        {node}
      </span>
    );
  if (span.href !== undefined)
    node = (
      <a href={span.href} target="_blank" rel="noopener noreferrer">
        {node}
      </a>
    );
  return node;
}
