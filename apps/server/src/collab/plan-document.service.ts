import { Injectable } from '@nestjs/common';
import { type ChangeAuthor, CollabServer, DocumentTooLargeError, type DocumentWatcher } from '@bascule/collab';
import { AppError } from '../common/errors.js';
import * as Y from 'yjs';

/**
 * The server's way to read and change a plan document. A change is made as an actor and goes the
 * same way as an editor's: stored, then applied and broadcast to every open socket, on every instance.
 */
@Injectable()
export class PlanDocumentService {
  constructor(private readonly collab: CollabServer) {}

  /** Applies `change` to the plan's document as `author`; resolves with its result once the change is durable. */
  async change<T>(planId: string, author: ChangeAuthor, change: (doc: Y.Doc) => T): Promise<T> {
    try {
      return await this.collab.applyServerChange(planId, author, change);
    } catch (error) {
      if (error instanceof DocumentTooLargeError)
        throw new AppError('BAD_USER_INPUT', 'This change would make the plan larger than this server allows.');
      throw error;
    }
  }

  /**
   * Has `watcher` follow every plan document this instance loads, from before any socket sees it;
   * returns an unsubscribe.
   */
  watch(watcher: DocumentWatcher): () => void {
    return this.collab.watch(watcher);
  }

  /** Calls `listener` after each update this instance stores for any plan; returns an unsubscribe. */
  onStored(listener: (planId: string) => void): () => void {
    return this.collab.onStored(listener);
  }

  /** Runs `read` on the live document without copying it; `read` must not change it. */
  inspect<T>(planId: string, read: (doc: Y.Doc) => T): Promise<T> {
    return this.collab.inspect(planId, read);
  }

  /** The plan's document as it is now, as a fresh Y.Doc the caller owns. */
  async read(planId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await this.collab.snapshot(planId));
    return doc;
  }
}
