import { Injectable } from '@nestjs/common';
import { CollabServer } from '@bascule/collab';
import * as Y from 'yjs';

/**
 * The server's way to read and change a plan document. A change is made as an actor and goes the
 * same way as an editor's: stored, then applied and broadcast to every open socket, on every instance.
 */
@Injectable()
export class PlanDocumentService {
  constructor(private readonly collab: CollabServer) {}

  /** Applies `change` to the plan's document as `actorId`; resolves once the change is durable. */
  change(planId: string, actorId: string | null, change: (doc: Y.Doc) => void): Promise<void> {
    return this.collab.applyServerChange(planId, actorId, change);
  }

  /** The plan's document as it is now, as a fresh Y.Doc the caller owns. */
  async read(planId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, await this.collab.snapshot(planId));
    return doc;
  }
}
