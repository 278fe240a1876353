import { createEntry, deleteEntry, type ThreadState, updateEntry } from '@bascule/plan-model';
import type * as Y from 'yjs';
import { useSession } from '../../api/session-context';
import { useAction } from '../../api/use-action';
import { useEditorTools } from '../context';
import type { About } from './about';

const ADD = /* GraphQL */ `
  mutation AddComment($planId: ID!, $input: CommentInput!) {
    addComment(planId: $planId, input: $input) {
      id
    }
  }
`;
const EDIT = /* GraphQL */ `
  mutation EditComment($planId: ID!, $id: ID!, $body: String!) {
    editComment(planId: $planId, id: $id, body: $body) {
      id
    }
  }
`;
const DELETE = /* GraphQL */ `
  mutation DeleteComment($planId: ID!, $id: ID!) {
    deleteComment(planId: $planId, id: $id)
  }
`;
const SET_STATE = /* GraphQL */ `
  mutation SetThreadState($planId: ID!, $threadId: ID!, $state: ThreadState!) {
    setThreadState(planId: $planId, threadId: $threadId, state: $state) {
      id
    }
  }
`;

export interface CommentWriter {
  /** Why the last write through the API failed (the document's refusals show above the editor). */
  readonly problem: string | null;
  readonly add: (about: About, threadId: string | null, body: string) => Promise<boolean>;
  readonly edit: (id: string, body: string) => Promise<boolean>;
  readonly remove: (id: string) => Promise<boolean>;
  readonly setState: (threadId: string, state: ThreadState) => Promise<boolean>;
}

/**
 * Writes comments the way this person's socket allows. One who may write the plan writes them in
 * the document like any entry: judged first by the same rules as the server (only authors edit or
 * delete), kept on this device while offline, "Saving…" until stored, and stamped by the server
 * with who and when. A viewer's socket is read-only: their comments go through the API, and come
 * back to every browser through the document all the same.
 */
export function useCommentWriter(): CommentWriter {
  const { planId, readOnly, governed } = useEditorTools();
  const session = useSession();
  const [problem, act] = useAction();
  const write = (change: (doc: Y.Doc) => void, mutation: string, variables: Record<string, unknown>) =>
    readOnly ? act(() => session.request(mutation, { planId, ...variables })) : Promise.resolve(governed(change));
  return {
    problem,
    add: (about, threadId, body) =>
      write(
        (doc) => createEntry(doc, 'comments', { subject: about.subject, entryId: about.entryId, threadId, body }),
        ADD,
        { input: { subject: about.subject, entryId: about.entryId, threadId, body } },
      ),
    edit: (id, body) => write((doc) => updateEntry(doc, 'comments', id, { body }), EDIT, { id, body }),
    remove: (id) => write((doc) => deleteEntry(doc, 'comments', id), DELETE, { id }),
    setState: (threadId, state) =>
      write((doc) => updateEntry(doc, 'comments', threadId, { state }), SET_STATE, { threadId, state }),
  };
}
