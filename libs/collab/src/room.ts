import {
  CLOSE_INTERNAL_ERROR,
  CLOSE_TRY_AGAIN_LATER,
  CollabCloseCode,
  encodeAwareness,
  encodeDurable,
  encodeSyncStep1,
  encodeUpdate,
} from '@bascule/collab-protocol';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type Committer, StoreBacklogError } from './committer.js';
import type { Connection } from './connection.js';
import type { ChangeOrigin, CollabLogger, DocumentWatcher, Fanout, FanoutMessage, StoredUpdateId } from './ports.js';
import { Presence } from './presence.js';

/** Transaction origins: whoever made a change decides whether it is stored and sent elsewhere. */
export const LOAD_ORIGIN = Symbol('load');
export const REPLICA_ORIGIN = Symbol('replica');

/** What every room of an instance shares: where updates are stored, sent on and reported. */
export interface RoomServices {
  readonly committer: Committer;
  readonly fanout: Fanout;
  readonly logger: CollabLogger;
  /** Follow every document loaded while they are registered. */
  readonly watchers: ReadonlySet<DocumentWatcher>;
  /** Told of each update stored: its size, and how long it took to become durable. */
  readonly metrics: { stored(bytes: number, seconds: number): void } | undefined;
  /** Told after each update this instance stores. */
  readonly onStored: (name: string) => void;
  /** Told whenever the room may have nothing left to do (a socket left, some work ended). */
  readonly onIdle: (room: Room) => void;
}

/**
 * One loaded document with its presence and its sockets on this instance. Updates reach `doc` only
 * once stored, so its state vector is also what is durable.
 */
export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly presence = new Presence(this.doc);
  /**
   * The sockets on this document, from their admission (while the room loads, too): what a
   * broadcast reaches, and what keeps the room loaded.
   */
  readonly connections = new Set<Connection>();
  /** Updates accepted but not yet stored, and server work under way: the room stays loaded meanwhile. */
  inflight = 0;
  /** Stored bytes, to refuse an update that would take the document past its size limit. */
  storedBytes = 0;
  /** The document watchers' holds on this room, released with it. */
  watches: readonly { close(): void }[] = [];
  /** Unloaded: whoever still has it must load the document again (nobody would record its changes). */
  destroyed = false;
  /**
   * The stored snapshot this room is loading, while the document is still to become exactly it (no
   * replica came first or since): a new client can be answered from it before it is applied.
   */
  private snapshotBeingLoaded: Uint8Array | null = null;
  /** Changed by anything but the load (a replica, a stored update). */
  private changedBesidesLoad = false;
  /** The whole document encoded, kept while it does not change: what every new client's sync gets. */
  private wholeState: Uint8Array | null = null;

  constructor(
    readonly name: string,
    private readonly services: RoomServices,
  ) {
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      this.wholeState = null;
      if (transaction.origin === LOAD_ORIGIN) return;
      this.changedBesidesLoad = true;
      this.snapshotBeingLoaded = null;
    });
  }

  /** The whole (loaded) document encoded, once for every new client that joins while it does not change. */
  encodedWholeState(): Uint8Array {
    return (this.wholeState ??= Y.encodeStateAsUpdate(this.doc));
  }

  /**
   * While the document loads: the stored snapshot that will be all of it once applied, which a new
   * client can be sent already; null when there is none (the client waits for the load).
   */
  get snapshotToApply(): Uint8Array | null {
    return this.snapshotBeingLoaded;
  }

  /**
   * The stored document read for this room is the snapshot `state` alone: until it is applied, and
   * unless the document changes otherwise meanwhile, new clients are answered from those bytes.
   */
  loadingSnapshot(state: Uint8Array): void {
    // A replica applied before the read makes the document more than the snapshot.
    if (!this.changedBesidesLoad) this.snapshotBeingLoaded = state;
  }

  /**
   * The stored document is applied (`intact`: all of it): a snapshot that still stands for the whole
   * document is kept as its encoding.
   */
  loadedStoredDocument(intact: boolean): void {
    if (intact && this.snapshotBeingLoaded !== null) this.wholeState = this.snapshotBeingLoaded;
    this.snapshotBeingLoaded = null;
  }

  /** Nothing holds the room: no socket, nothing being stored, no server work. */
  get idle(): boolean {
    return this.inflight === 0 && this.connections.size === 0;
  }

  /** Opens the sync with a socket that has just joined: the server's state vector, then who is present. */
  greet(connection: Connection, stateVector = true): void {
    // A socket answered before the load had the state vector of what it was sent (`answerBeforeLoad`).
    if (stateVector) connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (!this.presence.empty) connection.send(encodeAwareness(this.presence.encodeStates()));
  }

  /** A socket closed: its presence goes, told to the others here and elsewhere. */
  leave(connection: Connection): void {
    this.connections.delete(connection);
    const removal = this.presence.remove(connection);
    if (removal !== null) {
      this.broadcast(encodeAwareness(removal), null);
      this.services.fanout.publish(this.name, { kind: 'awareness', payload: removal });
    }
    this.services.onIdle(this);
  }

  broadcast(frame: Uint8Array, except: Connection | null): void {
    for (const connection of this.connections) if (connection !== except) connection.send(frame);
  }

  receiveAwareness(connection: Connection, update: Uint8Array): void {
    const stamped = this.presence.accept(connection, update);
    if (stamped === null) return;
    this.broadcast(encodeAwareness(stamped), connection);
    this.services.fanout.publish(this.name, { kind: 'awareness', payload: stamped });
  }

  /**
   * Stores an update, then applies it and sends it on: to the other sockets here, to other
   * instances, and the durable acknowledgement to the socket it came from (`from`, null for the
   * server's own changes, which get the store's error instead).
   */
  async commit(update: Uint8Array, origin: ChangeOrigin, from: Connection | null): Promise<void> {
    const { committer, logger, metrics, watchers, fanout } = this.services;
    this.inflight += 1;
    try {
      const accepted = performance.now();
      let id: StoredUpdateId;
      try {
        id = await committer.append({ documentName: this.name, update, author: origin.author });
      } catch (error) {
        // Not stored, so neither applied nor acknowledged: the client keeps the update and sends it
        // again when it reconnects (1013: try again later; 1011: this update was refused).
        if (from === null) throw error;
        logger.warn({ err: error, document: this.name }, 'update not stored; its sender is told to retry');
        from.close(
          error instanceof StoreBacklogError ? CLOSE_TRY_AGAIN_LATER : CLOSE_INTERNAL_ERROR,
          'update not stored, try again',
        );
        return;
      }
      metrics?.stored(update.byteLength, (performance.now() - accepted) / 1000);
      this.storedBytes += update.byteLength;
      try {
        Y.applyUpdate(this.doc, update, origin.storedAs(id));
      } catch (error) {
        // Well formed but not applicable: nobody else gets it, loads and compaction leave it out.
        logger.error({ err: error, document: this.name }, 'stored update could not be applied');
        for (const watcher of watchers) watcher.unapplied?.(this.name, id);
        from?.close(CollabCloseCode.MalformedMessage);
        return;
      }
      this.broadcast(encodeUpdate(update), from);
      fanout.publish(this.name, { kind: 'update', payload: update });
      from?.send(encodeDurable(Y.encodeStateVector(this.doc)));
      this.services.onStored(this.name);
    } finally {
      this.release();
    }
  }

  /** An update or presence change from another instance: already stored there, so applied and shown only. */
  replicate(message: FanoutMessage): void {
    if (message.kind === 'update') {
      Y.applyUpdate(this.doc, message.payload, REPLICA_ORIGIN);
      this.storedBytes += message.payload.byteLength;
      this.broadcast(encodeUpdate(message.payload), null);
    } else {
      awarenessProtocol.applyAwarenessUpdate(this.presence.awareness, message.payload, REPLICA_ORIGIN);
      this.broadcast(encodeAwareness(message.payload), null);
    }
  }

  /** Ends a hold (`inflight`) taken on the room; it may unload if it was the last thing holding it. */
  release(): void {
    this.inflight -= 1;
    this.services.onIdle(this);
  }

  destroy(): void {
    this.destroyed = true;
    for (const watch of this.watches) watch.close();
    this.watches = [];
    this.presence.destroy();
    this.doc.destroy();
  }
}
