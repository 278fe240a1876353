import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';

/** Transaction origins: whoever made a change decides whether it is stored and sent elsewhere. */
export const LOAD_ORIGIN = Symbol('load');
export const REPLICA_ORIGIN = Symbol('replica');

/**
 * One loaded plan document with its presence, shared by every socket of this instance on the plan.
 * Updates reach `doc` only once stored, so its state vector is also what is durable.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Which socket announced each awareness client id: only that socket may change it. */
  readonly awarenessOwners = new Map<number, object>();
  /** Updates accepted but not yet stored, and server edits under way: the room stays loaded meanwhile. */
  inflight = 0;
  /** Stored bytes, to refuse an update that would take the document past its size limit. */
  storedBytes = 0;
  /** The document watcher's hold on this room, released with it. */
  watch: { close(): void } | null = null;
  /** Unloaded: whoever still has it must load the plan again (nobody would record its changes). */
  destroyed = false;

  constructor(readonly planId: string) {
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
  }

  destroy(): void {
    this.destroyed = true;
    this.watch?.close();
    this.watch = null;
    this.awareness.destroy();
    this.doc.destroy();
  }
}
