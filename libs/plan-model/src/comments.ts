import type { Comment, CommentSubject, ThreadState } from './schema.js';

/**
 * Comments are Markdown-light: `**bold**`, `*italic*` or `_italic_`, `` `code` ``, `[label](https://…)`,
 * bare http(s) addresses, `- ` list items and line breaks; a mention is `@[Name](user:<id>)`. Nothing
 * else is markup, and no HTML ever is: every surface (web, e-mail, reports) renders these spans as
 * text, escaped where it writes HTML. One reading serves them all, so they cannot disagree on what a
 * body says or who it mentions.
 */

/** A run of text with its marks; a link's address is http(s) or mailto only. */
export interface CommentSpan {
  readonly text: string;
  readonly bold?: true;
  readonly italic?: true;
  readonly code?: true;
  readonly href?: string;
  /** A mention: the member's user id (the text is their name as written). */
  readonly mention?: string;
  /** A line break inside a paragraph or an item. */
  readonly lineBreak?: true;
}

export interface CommentBlock {
  readonly kind: 'paragraph' | 'item';
  readonly spans: readonly CommentSpan[];
}

type Marks = Omit<CommentSpan, 'text' | 'lineBreak'>;

const MENTION = /@\[([^\]\n]{1,200})\]\(user:([A-Za-z0-9_-]{1,64})\)/g;

/** How a mention of a member is written in a comment's body. */
export function mentionOf(name: string, userId: string): string {
  const clean = name.replace(/[[\]\n]/g, ' ').trim() || userId;
  return `@[${clean.slice(0, 200)}](user:${userId})`;
}

/** The members a body mentions (their user ids), each once, in order. */
export function mentionsIn(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION)].map((match) => match[2] as string))];
}

/**
 * The next inline token: code, a mention, a link, bold, italic (with `*` or `_`), a bare address.
 * Alternatives in this order, so a mention is never read as a link and code holds no marks.
 */
const INLINE = new RegExp(
  [
    /`([^`\n]+)`/.source,
    /@\[([^\]\n]{1,200})\]\(user:([A-Za-z0-9_-]{1,64})\)/.source,
    /\[([^\]\n]{1,500})\]\(((?:https?:\/\/|mailto:)[^\s)]{1,2000})\)/.source,
    /\*\*(?=\S)([^\n]+?)(?<=\S)\*\*/.source,
    /(?<![\w*])\*(?=[^\s*])([^\n*]+?)(?<=\S)\*(?![\w*])/.source,
    /(?<![\w_])_(?=[^\s_])([^\n_]+?)(?<=\S)_(?![\w_])/.source,
    /(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/.source,
  ].join('|'),
  'g',
);

function spansOf(text: string, marks: Marks, out: CommentSpan[]): void {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index;
    if (index > last) out.push({ ...marks, text: text.slice(last, index) });
    const [whole, code, mentionName, mentionId, label, href, bold, starred, underlined, bare] = match;
    if (code !== undefined) out.push({ ...marks, code: true, text: code });
    else if (mentionName !== undefined && mentionId !== undefined)
      out.push({ ...marks, mention: mentionId, text: `@${mentionName}` });
    else if (label !== undefined && href !== undefined) spansOf(label, { ...marks, href }, out);
    else if (bold !== undefined) spansOf(bold, { ...marks, bold: true }, out);
    else if (starred !== undefined || underlined !== undefined)
      spansOf(starred ?? underlined ?? '', { ...marks, italic: true }, out);
    else if (bare !== undefined) out.push({ ...marks, href: bare, text: bare });
    last = index + whole.length;
  }
  if (last < text.length) out.push({ ...marks, text: text.slice(last) });
}

/** A body read into paragraphs and list items of marked spans. Total: any string is some text. */
export function commentBlocks(body: string): CommentBlock[] {
  const blocks: { kind: CommentBlock['kind']; lines: string[] }[] = [];
  let open: { kind: CommentBlock['kind']; lines: string[] } | null = null;
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item !== null) {
      open = { kind: 'item', lines: [item[1] as string] };
      blocks.push(open);
    } else if (line.trim() === '') open = null;
    else if (open === null) {
      open = { kind: 'paragraph', lines: [line] };
      blocks.push(open);
    } else open.lines.push(line);
  }
  return blocks.map(({ kind, lines }) => {
    const spans: CommentSpan[] = [];
    lines.forEach((line, index) => {
      if (index > 0) spans.push({ text: '\n', lineBreak: true });
      spansOf(line, {}, spans);
    });
    return { kind, spans };
  });
}

/** A body as plain text (e-mails' text part, reports, previews): marks dropped, links spelled out. */
export function commentPlainText(body: string): string {
  return commentBlocks(body)
    .map(
      (block) =>
        (block.kind === 'item' ? '- ' : '') +
        block.spans
          .map((span) =>
            span.href !== undefined && span.href !== span.text ? `${span.text} (${span.href})` : span.text,
          )
          .join(''),
    )
    .join('\n');
}

/**
 * A thread: its first comment (null when its author deleted it: the thread is then closed, RESOLVED)
 * and the replies, oldest first.
 */
export interface CommentThread {
  readonly id: string;
  readonly subject: CommentSubject;
  readonly entryId: string | null;
  readonly first: Comment | null;
  readonly replies: readonly Comment[];
  readonly state: ThreadState;
  /** When the last comment of the thread was written (stamped by the server; empty before). */
  readonly lastAt: string;
}

/** A comment the server has not stamped yet was just written: it counts as the newest. */
const NOT_YET = '\uffff';
const timeOf = (comment: Comment) => comment.createdAt ?? NOT_YET;
const byTime = (a: Comment, b: Comment) =>
  timeOf(a).localeCompare(timeOf(b)) || a.position - b.position || a.id.localeCompare(b.id);

/**
 * The threads of a plan's comments, the most recently active first (a comment not stamped yet, just
 * written, counts as the newest); only those about `subject` and `entryId` when given. Replies oldest
 * first, those not stamped yet last.
 */
export function commentThreads(
  comments: readonly Comment[],
  about?: { readonly subject: CommentSubject; readonly entryId: string | null },
): CommentThread[] {
  const firsts = new Map<string, Comment>();
  const replies = new Map<string, Comment[]>();
  for (const comment of comments) {
    if (comment.threadId === null) firsts.set(comment.id, comment);
    else replies.set(comment.threadId, [...(replies.get(comment.threadId) ?? []), comment]);
  }
  const threads: (CommentThread & { readonly newest: string })[] = [];
  for (const id of new Set([...firsts.keys(), ...replies.keys()])) {
    const first = firsts.get(id) ?? null;
    const answers = (replies.get(id) ?? []).sort(byTime);
    const subjectOf = first ?? answers[0];
    if (subjectOf === undefined) continue;
    const all = [...(first === null ? [] : [first]), ...answers];
    const thread = {
      id,
      subject: subjectOf.subject,
      entryId: subjectOf.entryId,
      first,
      replies: answers,
      // Its first comment deleted, a thread is closed: nobody can answer it or resolve it any more.
      state: first?.state ?? 'RESOLVED',
      lastAt: all.reduce((latest, comment) => {
        const at = comment.createdAt ?? '';
        return at > latest ? at : latest;
      }, ''),
      newest: all.reduce((latest, comment) => (timeOf(comment) > latest ? timeOf(comment) : latest), ''),
    };
    if (about !== undefined && (thread.subject !== about.subject || thread.entryId !== about.entryId)) continue;
    threads.push(thread);
  }
  return threads
    .sort((a, b) => b.newest.localeCompare(a.newest) || a.id.localeCompare(b.id))
    .map(({ newest: _newest, ...thread }) => thread);
}
