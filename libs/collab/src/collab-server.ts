import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_GOING_AWAY } from '@bascule/collab-protocol';
import * as Y from 'yjs';
import { Committer } from './committer.js';
import { ConnectionRegistry } from './connection-registry.js';
import { type CollabLimits, DEFAULT_LIMITS } from './limits.js';
import { MessageReceiver } from './message-receiver.js';
import {
  type ChangeAuthor,
  ChangeOrigin,
  type CollabAuthorizer,
  type CollabGrant,
  type CollabLogger,
  type DocumentStore,
  type DocumentWatcher,
  type Fanout,
} from './ports.js';
import { Rooms } from './rooms.js';
import { changeOnCopy, DocumentTooLargeError } from './server-change.js';
import { CollabTransport } from './transport.js';

export interface CollabServerOptions {
  readonly authorizer: CollabAuthorizer;
  readonly store: DocumentStore;
  readonly fanout: Fanout;
  readonly logger: CollabLogger;
  readonly limits?: Partial<CollabLimits>;
  /** Told of each update stored: its size, and how long it took to become durable. */
  readonly metrics?: { stored(bytes: number, seconds: number): void };
}

/**
 * The y-websocket server: rooms of named documents, sync and awareness, with every update stored
 * (group commit) before it is applied, broadcast or acknowledged. Stock y-websocket clients work
 * unchanged; Bascule clients also read the durable acknowledgement. This class puts the parts
 * together (transport, sockets, rooms, the store's committer) and is what the server uses.
 */
export class CollabServer {
  private readonly limits: CollabLimits;
  private readonly committer: Committer;
  private readonly connections: ConnectionRegistry;
  private readonly rooms: Rooms;
  private readonly receiver: MessageReceiver;
  private readonly transport: CollabTransport;
  private readonly storedListeners = new Set<(name: string) => void>();
  private readonly unloadListeners = new Set<(name: string) => void>();
  private readonly watchers = new Set<DocumentWatcher>();
  private intakeStopped: Promise<void> | null = null;
  private closed: Promise<void> | null = null;

  constructor(private readonly options: CollabServerOptions) {
    const { authorizer, store, fanout, logger, metrics } = options;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.committer = new Committer(store, logger);
    this.connections = new ConnectionRegistry(authorizer, logger, this.limits.connectionsPerUser);
    this.rooms = new Rooms({
      store,
      services: {
        committer: this.committer,
        fanout,
        logger,
        watchers: this.watchers,
        metrics,
        onStored: (name) => {
          for (const listener of this.storedListeners) listener(name);
        },
      },
      onUnloaded: (name) => {
        for (const listener of this.unloadListeners) listener(name);
      },
    });
    this.receiver = new MessageReceiver(this.limits, logger);
    this.transport = new CollabTransport({
      limits: this.limits,
      authorizer,
      logger,
      connections: this.connections,
      rooms: this.rooms,
      receiver: this.receiver,
    });
    fanout.onReconnect?.(() => {
      this.catchUp().catch((error: unknown) =>
        logger.error({ err: error }, 'catching up after the fan-out came back failed; the next reconnect retries'),
      );
    });
  }

  /** Whether this server answers an HTTP upgrade to that path. */
  static handles(url: string | undefined): boolean {
    return CollabTransport.handles(url);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.transport.handleUpgrade(request, socket, head);
  }

  /** Whether this instance holds the document loaded (being loaded counts). */
  isLoaded(name: string): boolean {
    return this.rooms.has(name);
  }

  get stats(): { rooms: number; connections: number } {
    return { rooms: this.rooms.size, connections: this.connections.size };
  }

  /**
   * Checks again the sockets that a change of access may concern: each is closed (4401, 4403,
   * 4404) or switched between read-write and read-only, as its credential now allows.
   */
  recheck(matches: (connection: { documentName: string; grant: CollabGrant }) => boolean): Promise<void> {
    return this.connections.recheck(matches);
  }

  /**
   * A change made by the server itself (GraphQL mutations): `change` edits a copy of the document;
   * the difference goes through the same path as an editor's update, as `author`. Resolves once stored.
   */
  async applyServerChange<T>(name: string, author: ChangeAuthor, change: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.rooms.hold(name);
    try {
      const { result, update } = changeOnCopy(room.doc, change);
      if (update === null) return result;
      if (room.storedBytes + update.byteLength > this.limits.maxDocumentBytes)
        throw new DocumentTooLargeError(
          `the change would take the document past ${this.limits.maxDocumentBytes} bytes`,
        );
      await room.commit(update, new ChangeOrigin(author, false), null);
      return result;
    } finally {
      room.release();
    }
  }

  /**
   * Calls `listener` after each update this instance stores (from a socket or the server itself;
   * not replicas from other instances, which their own instance reports). Returns an unsubscribe.
   */
  onStored(listener: (name: string) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /**
   * Has `watcher` follow every document loaded from now on, from before any socket sees it (the
   * audit trail and governance rules), and closes it when the server closes, before the documents
   * are freed. Returns an unsubscribe: documents loaded afterwards go unwatched, and the server no
   * longer closes it.
   */
  watch(watcher: DocumentWatcher): () => void {
    this.watchers.add(watcher);
    return () => {
      this.watchers.delete(watcher);
    };
  }

  /** Calls `listener` when a room unloads (nobody here holds its document any more). Returns an unsubscribe. */
  onUnloaded(listener: (name: string) => void): () => void {
    this.unloadListeners.add(listener);
    return () => this.unloadListeners.delete(listener);
  }

  /**
   * Runs `read` on the live document (loading it if needed), synchronously, without copying it.
   * `read` must not change the document: changes go through applyServerChange.
   */
  async inspect<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.rooms.hold(name);
    try {
      return read(room.doc);
    } finally {
      room.release();
    }
  }

  /** The document as it is now, encoded. */
  snapshot(name: string): Promise<Uint8Array> {
    return this.inspect(name, (doc) => Y.encodeStateAsUpdate(doc));
  }

  /**
   * Brings every loaded room up to date with the store, for updates another instance stored while
   * the fan-out was down; whatever was missing is applied and sent to this instance's sockets.
   */
  catchUp(): Promise<void> {
    return this.rooms.catchUp();
  }

  /**
   * Stops taking sockets and messages, asks every client to reconnect (elsewhere: 1001), and stores
   * everything accepted so far. Documents stay readable (projections at shutdown); safe to call again.
   */
  stopIntake(): Promise<void> {
    this.intakeStopped ??= (async () => {
      this.transport.stop();
      this.connections.closeAll(CLOSE_GOING_AWAY, 'server shutting down');
      await this.receiver.stop();
      await this.committer.drain();
    })();
    return this.intakeStopped;
  }

  /** Stops the intake, then frees every room; nothing loads afterwards. Safe to call again. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    await this.stopIntake();
    // Watchers finish while documents can still be changed; what they change is stored before rooms go.
    for (const watcher of this.watchers) await watcher.close?.();
    await this.committer.drain();
    await this.rooms.close();
    this.options.fanout.close?.();
    this.transport.close();
  }
}
