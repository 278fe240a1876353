import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

/** Transaction origins: whoever made a change decides whether it is stored and sent elsewhere. */
export const LOAD_ORIGIN = Symbol('load');
export const REPLICA_ORIGIN = Symbol('replica');

/** One loaded plan document with its presence, shared by every socket of this instance on the plan. */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Per Yjs client id, the clock up to which its changes are stored. */
  readonly durable = new Map<number, number>();
  /** Which socket announced each awareness client id: only that socket may change it. */
  readonly awarenessOwners = new Map<number, object>();
  /** Updates accepted but not yet stored, and server edits under way: the room stays loaded meanwhile. */
  inflight = 0;
  /** Stored bytes, to refuse an update that would take the document past its size limit. */
  storedBytes = 0;

  constructor(readonly planId: string) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
  }

  /** Records that an update is stored, for the durable acknowledgements. */
  markDurable(update: Uint8Array): void {
    for (const [client, clock] of Y.parseUpdateMeta(update).to) {
      if ((this.durable.get(client) ?? 0) < clock) this.durable.set(client, clock);
    }
    this.storedBytes += update.byteLength;
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
  }
}
