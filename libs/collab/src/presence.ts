import { decodeAwarenessUpdate, encodeAwarenessUpdate } from '@bascule/collab-protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Connection } from './connection.js';

/**
 * Who is present on a document, as the server vouches for it: every awareness state's `user` is
 * its socket's authenticated caller, and a socket may only speak for the client ids it announced
 * first.
 */
export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  /** Which socket announced each awareness client id: only that socket may change it. */
  private readonly owners = new Map<number, Connection>();

  constructor(doc: Y.Doc) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
  }

  get empty(): boolean {
    return this.awareness.getStates().size === 0;
  }

  /** Every state present, as one awareness update. */
  encodeStates(): Uint8Array {
    return awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]);
  }

  /**
   * Applies what `connection` may say of an awareness update, its `user` replaced by the caller's;
   * returns the update as applied, or null when nothing in it was the socket's to say.
   */
  accept(connection: Connection, update: Uint8Array): Uint8Array | null {
    const { identity } = connection.grant;
    const accepted = decodeAwarenessUpdate(update)
      .filter((entry) => {
        const owner = this.owners.get(entry.clientId);
        return owner === undefined || owner === connection;
      })
      .map((entry) => ({
        ...entry,
        // The server vouches for who is who: whatever the client put in `user` is replaced.
        state:
          entry.state === null
            ? null
            : { ...entry.state, user: { id: identity.userId, name: identity.name, color: identity.color } },
      }));
    if (accepted.length === 0) return null;
    for (const entry of accepted) {
      this.owners.set(entry.clientId, connection);
      connection.clientIds.add(entry.clientId);
    }
    const stamped = encodeAwarenessUpdate(accepted);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, connection);
    return stamped;
  }

  /** Removes the states `connection` still speaks for; returns their removal as an update, or null if none. */
  remove(connection: Connection): Uint8Array | null {
    const gone = [...connection.clientIds].filter((clientId) => this.owners.get(clientId) === connection);
    if (gone.length === 0) return null;
    for (const clientId of gone) this.owners.delete(clientId);
    awarenessProtocol.removeAwarenessStates(this.awareness, gone, connection);
    return encodeAwarenessUpdate(
      gone.map((clientId) => ({ clientId, clock: this.awareness.meta.get(clientId)?.clock ?? 0, state: null })),
    );
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
