import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type WebSocket, WebSocketServer } from 'ws';
import { CollabCloseCode, closeCodeReason } from './close-codes.js';
import { Committer, StoreBacklogError } from './committer.js';
import {
  type ChangeAuthor,
  ChangeOrigin,
  type CollabAuthorizer,
  type CollabGrant,
  type CollabLogger,
  type DocumentStore,
  type DocumentWatcher,
  type Fanout,
  type FanoutMessage,
  type StoredUpdateId,
} from './ports.js';
import {
  decodeAwarenessUpdate,
  decodeMessage,
  encodeAwareness,
  encodeAwarenessUpdate,
  encodeDurable,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  type IncomingMessage as ClientMessage,
  MalformedMessageError,
} from './protocol.js';
import { replayStored } from './replay.js';
import { LOAD_ORIGIN, REPLICA_ORIGIN, Room } from './room.js';
import { TokenBucket } from './token-bucket.js';
import { UpdateChecker } from './update-checker.js';
import { batchWritesThisTick } from './write-batching.js';

export interface CollabLimits {
  /** Largest frame a client may send (bytes); larger ones close the socket with 4413. */
  readonly maxFrameBytes: number;
  /** Largest stored size of a document (bytes); an update past it closes the socket with 4413. */
  readonly maxDocumentBytes: number;
  /** Messages per second a socket may send on average, and in a burst; beyond, 4429. */
  readonly messagesPerSecond: number;
  readonly messageBurst: number;
  /** Open sockets per user on this instance; one more is refused with 4429. */
  readonly connectionsPerUser: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
  maxFrameBytes: 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
  messagesPerSecond: 100,
  messageBurst: 400,
  connectionsPerUser: 20,
};

/** An update with no structs and no deletions: what Yjs encodes for "nothing" (two zero counts). */
const isEmptyUpdate = (update: Uint8Array) => update.byteLength === 2 && update[0] === 0 && update[1] === 0;

/** A server change that would take a document past its size limit; nothing was stored. */
export class DocumentTooLargeError extends Error {}

/** The close code that tells stock clients to reconnect (to this or another instance). */
export const CLOSE_GOING_AWAY = 1001;
/** Closes a socket whose update the store is too far behind to take; the client reconnects and resends. */
const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * What a socket may send a second on average. It bounds the decoding and applying one socket can
 * ask of the event loop (a hostile 1 MiB update takes about 170 ms to check and apply here), far
 * above what editing needs (stock clients also echo every presence change they receive).
 */
const BYTES_PER_SECOND = 1024 * 1024;

/** Sockets whose access is checked again together before the event loop gets a turn. */
const RECHECK_BATCH = 16;

/** Messages a socket may send before its plan is open (authorisation, loading). */
const MAX_EARLY_MESSAGES = 64;

const PLAN_PATH = /^\/collab\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/;

/** One socket on one plan. */
class Connection {
  readonly clientIds = new Set<number>();
  readonly bucket: TokenBucket;
  /** Bytes a socket may send: BYTES_PER_SECOND (or one largest frame) a second, twice that in a burst. */
  readonly bytes: TokenBucket;
  /** Messages waiting behind a large update's check, handled in the order they came. */
  backlog: Promise<void> = Promise.resolve();
  waiting = 0;
  expiry: NodeJS.Timeout | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly planId: string,
    readonly token: string | null,
    public grant: CollabGrant,
    limits: CollabLimits,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    const bytesPerSecond = Math.max(BYTES_PER_SECOND, limits.maxFrameBytes);
    this.bytes = new TokenBucket(bytesPerSecond, bytesPerSecond * 2);
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    batchWritesThisTick(this.ws);
    this.ws.send(frame);
  }

  /** Who this socket's updates are from, as its credential says. */
  get origin(): ChangeOrigin {
    const { identity, apiTokenId, planRole } = this.grant;
    if (this.cachedOrigin?.author.planRole !== planRole || this.cachedOrigin.author.name !== identity.name) {
      const author: ChangeAuthor = {
        kind: apiTokenId === null ? 'user' : 'apiToken',
        userId: identity.userId,
        apiTokenId,
        name: identity.name,
        planRole,
      };
      this.cachedOrigin = new ChangeOrigin(author, true);
    }
    return this.cachedOrigin;
  }

  private cachedOrigin: ChangeOrigin | undefined;

  close(code: number, reason = closeCodeReason(code as CollabCloseCode) ?? ''): void {
    clearTimeout(this.expiry);
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }
}

export interface CollabServerOptions {
  readonly authorizer: CollabAuthorizer;
  readonly store: DocumentStore;
  readonly fanout: Fanout;
  readonly logger: CollabLogger;
  readonly limits?: Partial<CollabLimits>;
  /** Sees every change to every loaded document (the audit trail and governance rules). */
  readonly watcher?: DocumentWatcher;
  /** Told of each update stored: its size, and how long it took to become durable. */
  readonly metrics?: { stored(bytes: number, seconds: number): void };
}

/**
 * The y-websocket server: rooms of plan documents, sync and awareness, with every update stored
 * (group commit) before it is applied, broadcast or acknowledged. Stock y-websocket clients work
 * unchanged; Bascule clients also read the durable acknowledgement.
 */
export class CollabServer {
  private readonly wss: WebSocketServer;
  private readonly limits: CollabLimits;
  private readonly committer: Committer;
  private readonly checker = new UpdateChecker();
  private readonly rooms = new Map<string, Promise<Room>>();
  private readonly connections = new Set<Connection>();
  private readonly perUser = new Map<string, number>();
  private closing = false;
  private readonly changeListeners = new Set<(planId: string) => void>();
  private readonly unloadListeners = new Set<(planId: string) => void>();

  constructor(private readonly options: CollabServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // ws closes frames beyond maxPayload itself (1009); those just above the limit get 4413 from us.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.limits.maxFrameBytes * 2,
      perMessageDeflate: false,
    });
    this.committer = new Committer(options.store, options.logger);
    options.fanout.onReconnect?.(() => void this.catchUp());
  }

  /** Whether this server answers an HTTP upgrade to that path. */
  static handles(url: string | undefined): boolean {
    return url !== undefined && url.startsWith('/collab/');
  }

  /** Whether this instance holds the document loaded (being loaded counts). */
  isLoaded(planId: string): boolean {
    return this.rooms.has(planId);
  }

  get stats(): { rooms: number; connections: number } {
    return { rooms: this.rooms.size, connections: this.connections.size };
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.accept(ws, request).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'collab connection failed');
        ws.close(1011, 'internal error');
      });
    });
  }

  private async accept(ws: WebSocket, request: IncomingMessage): Promise<void> {
    // Messages sent right after opening are kept until the room is ready, in order: a few, before
    // anyone knows who sent them.
    const early: Buffer[] = [];
    let earlyBytes = 0;
    const keep = (data: Buffer) => {
      if (data.byteLength > this.limits.maxFrameBytes)
        return void ws.close(CollabCloseCode.TooLarge, closeCodeReason(CollabCloseCode.TooLarge));
      earlyBytes += data.byteLength;
      if (early.length >= MAX_EARLY_MESSAGES || earlyBytes > this.limits.maxFrameBytes * 4)
        return void ws.close(CollabCloseCode.RateLimited, 'too much sent before the plan was open');
      early.push(data);
    };
    ws.on('message', keep);
    ws.on('error', () => undefined);
    if (this.intakeStopped !== null) return void ws.close(CLOSE_GOING_AWAY, 'server shutting down');

    const url = new URL(request.url ?? '/', 'http://collab');
    const planId = PLAN_PATH.exec(url.pathname)?.[1];
    if (planId === undefined)
      return void ws.close(CollabCloseCode.UnknownPlan, closeCodeReason(CollabCloseCode.UnknownPlan));
    const token = url.searchParams.get('token');
    const authorization = await this.options.authorizer.authorize(token, planId);
    if ('refused' in authorization) return void ws.close(authorization.refused, authorization.reason.slice(0, 120));
    const { granted } = authorization;
    const userId = granted.identity.userId;
    if ((this.perUser.get(userId) ?? 0) >= this.limits.connectionsPerUser) {
      return void ws.close(CollabCloseCode.RateLimited, 'too many connections for this user');
    }
    if (ws.readyState !== ws.OPEN) return;

    const connection = new Connection(ws, planId, token, granted, this.limits);
    this.connections.add(connection);
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
    this.armExpiry(connection);
    let room: Room;
    try {
      // Counted among the connections already, so the room stays loaded once it is handed over.
      room = await this.hold(planId);
    } catch (error) {
      this.forget(connection);
      throw error;
    }
    room.inflight -= 1;
    ws.on('close', () => this.leave(connection, room));
    ws.off('message', keep);
    const onMessage = (data: Buffer, isBinary: boolean) => this.receive(connection, room, data, isBinary);
    ws.on('message', onMessage);
    if (ws.readyState !== ws.OPEN) return this.leave(connection, room);

    connection.send(encodeSyncStep1(Y.encodeStateVector(room.doc)));
    const present = [...room.awareness.getStates().keys()];
    if (present.length > 0)
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)));
    for (const data of early) onMessage(data, true);
  }

  private receive(connection: Connection, room: Room, data: Buffer, isBinary: boolean): void {
    if (!this.connections.has(connection)) return;
    if (data.byteLength > this.limits.maxFrameBytes) return connection.close(CollabCloseCode.TooLarge);
    if (!connection.bucket.take() || !connection.bytes.take(data.byteLength))
      return connection.close(CollabCloseCode.RateLimited);
    let message: ClientMessage;
    try {
      if (!isBinary) throw new MalformedMessageError('text frame');
      message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch (error) {
      return this.refuseMalformed(connection, room, (error as Error).message);
    }
    const update = message.kind === 'update' || message.kind === 'syncStep2' ? message.update : null;
    if (connection.waiting === 0) {
      const verdict = update === null ? null : this.checker.check(update);
      if (!(verdict instanceof Promise)) return this.dispatch(connection, room, message, verdict);
      return this.later(connection, room, async () => this.dispatch(connection, room, message, await verdict));
    }
    this.later(connection, room, async () =>
      this.dispatch(connection, room, message, update === null ? null : await this.checker.check(update)),
    );
  }

  /** Queues work behind the socket's earlier messages (a large update is being checked off the loop). */
  private later(connection: Connection, room: Room, work: () => Promise<void>): void {
    connection.waiting += 1;
    connection.backlog = connection.backlog
      .then(work)
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, planId: room.planId }, 'collab message failed');
        connection.close(1011);
      })
      .finally(() => {
        connection.waiting -= 1;
      });
  }

  /** Handles a message whose update, if any, has been checked: `malformed` says what is wrong with it. */
  private dispatch(connection: Connection, room: Room, message: ClientMessage, malformed: string | null): void {
    // After close nothing new is stored; the client sends what was not acknowledged again elsewhere.
    if (!this.connections.has(connection) || this.intakeStopped !== null) return;
    if (malformed !== null) return this.refuseMalformed(connection, room, malformed);
    try {
      this.handle(connection, room, message);
    } catch (error) {
      if (!(error instanceof MalformedMessageError))
        this.options.logger.error({ err: error, planId: room.planId }, 'collab message failed');
      connection.close(error instanceof MalformedMessageError ? CollabCloseCode.MalformedMessage : 1011);
    }
  }

  private refuseMalformed(connection: Connection, room: Room, reason: string): void {
    this.options.logger.debug(
      { planId: room.planId, userId: connection.grant.identity.userId, reason },
      'malformed collab frame',
    );
    connection.close(CollabCloseCode.MalformedMessage);
  }

  private handle(connection: Connection, room: Room, message: ClientMessage): void {
    switch (message.kind) {
      case 'syncStep1':
        connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(room.doc, message.stateVector)));
        return;
      case 'syncStep2':
      case 'update':
        if (connection.grant.readOnly) {
          this.options.logger.debug(
            { planId: room.planId, userId: connection.grant.identity.userId },
            'update from a read-only connection ignored',
          );
          return;
        }
        if (room.storedBytes + message.update.byteLength > this.limits.maxDocumentBytes) {
          return connection.close(CollabCloseCode.TooLarge, 'document too large');
        }
        // An empty update (a new client's sync step 2 with nothing of its own) has nothing to store.
        if (isEmptyUpdate(message.update)) return connection.send(encodeDurable(Y.encodeStateVector(room.doc)));
        this.commit(room, message.update, connection.origin, connection).catch((error: unknown) => {
          this.options.logger.error(
            { err: error, planId: room.planId },
            'update could not be sent on after it was stored',
          );
        });
        return;
      case 'awareness':
        this.receiveAwareness(connection, room, message.update);
        return;
      case 'queryAwareness': {
        const present = [...room.awareness.getStates().keys()];
        connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)));
        return;
      }
    }
  }

  /**
   * Stores an update, then applies it and sends it on: to the other sockets here, to other
   * instances, and the durable acknowledgement to the socket it came from.
   */
  private async commit(room: Room, update: Uint8Array, origin: ChangeOrigin, from: Connection | null): Promise<void> {
    room.inflight += 1;
    try {
      const accepted = performance.now();
      let id: StoredUpdateId;
      try {
        id = await this.committer.append({ planId: room.planId, update, author: origin.author });
      } catch (error) {
        // Not stored, so neither applied nor acknowledged: the client keeps the update and sends it
        // again when it reconnects (1013: try again later; 1011: this update was refused).
        if (from === null) throw error;
        this.options.logger.warn({ err: error, planId: room.planId }, 'update not stored; its sender is told to retry');
        from.close(error instanceof StoreBacklogError ? CLOSE_TRY_AGAIN_LATER : 1011, 'update not stored, try again');
        return;
      }
      this.options.metrics?.stored(update.byteLength, (performance.now() - accepted) / 1000);
      room.storedBytes += update.byteLength;
      try {
        Y.applyUpdate(room.doc, update, origin.storedAs(id));
      } catch (error) {
        // Well formed but not applicable: nobody else gets it, loads and compaction leave it out.
        this.options.logger.error({ err: error, planId: room.planId }, 'stored update could not be applied');
        this.options.watcher?.unapplied?.(room.planId, id);
        from?.close(CollabCloseCode.MalformedMessage);
        return;
      }
      this.broadcast(room, encodeUpdate(update), from);
      this.options.fanout.publish(room.planId, { kind: 'update', payload: update });
      from?.send(encodeDurable(Y.encodeStateVector(room.doc)));
      for (const listener of this.changeListeners) listener(room.planId);
    } finally {
      room.inflight -= 1;
      this.unloadIfIdle(room);
    }
  }

  private receiveAwareness(connection: Connection, room: Room, update: Uint8Array): void {
    const { identity } = connection.grant;
    const accepted = decodeAwarenessUpdate(update)
      .filter((entry) => {
        const owner = room.awarenessOwners.get(entry.clientId);
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
    if (accepted.length === 0) return;
    for (const entry of accepted) {
      room.awarenessOwners.set(entry.clientId, connection);
      connection.clientIds.add(entry.clientId);
    }
    const stamped = encodeAwarenessUpdate(accepted);
    awarenessProtocol.applyAwarenessUpdate(room.awareness, stamped, connection);
    this.broadcast(room, encodeAwareness(stamped), connection);
    this.options.fanout.publish(room.planId, { kind: 'awareness', payload: stamped });
  }

  private broadcast(room: Room, frame: Uint8Array, except: Connection | null): void {
    for (const connection of this.connections) {
      if (connection.planId === room.planId && connection !== except) connection.send(frame);
    }
  }

  /**
   * A loaded room, held (`inflight`) from the moment it is handed over: between a load and the
   * code that waited for it, whoever else waited may release the room and unload it, and a change
   * made on an unloaded room would be stored with no watcher to record it. Release with
   * `inflight -= 1` and `unloadIfIdle`.
   */
  private async hold(planId: string): Promise<Room> {
    for (;;) {
      const room = await this.acquire(planId);
      if (!room.destroyed) {
        room.inflight += 1;
        return room;
      }
    }
  }

  /** Loads a room, or joins it while it loads: subscribe first, then read the store, so nothing falls between. */
  private acquire(planId: string): Promise<Room> {
    // After close, a late caller (a projection flushing at shutdown) must not load a room nobody frees.
    if (this.closing) return Promise.reject(new Error('the collab server is shut down'));
    let loading = this.rooms.get(planId);
    if (loading === undefined) {
      loading = this.load(planId);
      this.rooms.set(planId, loading);
      loading.catch(() => this.rooms.delete(planId));
    }
    return loading;
  }

  private async load(planId: string): Promise<Room> {
    const room = new Room(planId);
    await this.options.fanout.subscribe(planId, (message) => this.replicate(room, message));
    const stored = await this.options.store.load(planId);
    const applied = await replayStored(room.doc, stored, {
      origin: LOAD_ORIGIN,
      onInvalid: (error) =>
        this.options.logger.error({ err: error, planId }, 'a stored update could not be applied and was skipped'),
    });
    room.storedBytes += applied; // after the await: replicated updates may have been counted meanwhile
    room.watch = this.options.watcher?.watch(planId, room.doc) ?? null;
    return room;
  }

  /** An update or presence change from another instance: already stored there, so applied and shown only. */
  private replicate(room: Room, message: FanoutMessage): void {
    if (message.kind === 'update') {
      Y.applyUpdate(room.doc, message.payload, REPLICA_ORIGIN);
      room.storedBytes += message.payload.byteLength;
      this.broadcast(room, encodeUpdate(message.payload), null);
    } else {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, message.payload, REPLICA_ORIGIN);
      this.broadcast(room, encodeAwareness(message.payload), null);
    }
  }

  private leave(connection: Connection, room: Room): void {
    if (!this.forget(connection)) return;
    const gone = [...connection.clientIds].filter((clientId) => room.awarenessOwners.get(clientId) === connection);
    if (gone.length > 0) {
      for (const clientId of gone) room.awarenessOwners.delete(clientId);
      awarenessProtocol.removeAwarenessStates(room.awareness, gone, connection);
      const removal = encodeAwarenessUpdate(
        gone.map((clientId) => ({ clientId, clock: room.awareness.meta.get(clientId)?.clock ?? 0, state: null })),
      );
      this.broadcast(room, encodeAwareness(removal), null);
      this.options.fanout.publish(room.planId, { kind: 'awareness', payload: removal });
    }
    this.unloadIfIdle(room);
  }

  private forget(connection: Connection): boolean {
    if (!this.connections.delete(connection)) return false;
    clearTimeout(connection.expiry);
    const userId = connection.grant.identity.userId;
    const count = (this.perUser.get(userId) ?? 1) - 1;
    if (count <= 0) this.perUser.delete(userId);
    else this.perUser.set(userId, count);
    return true;
  }

  private unloadIfIdle(room: Room): void {
    // A room unloaded already: its plan's entry may be a newer room's by now.
    if (room.destroyed || room.inflight > 0) return;
    for (const connection of this.connections) if (connection.planId === room.planId) return;
    this.rooms.delete(room.planId);
    room.destroy();
    void this.options.fanout.unsubscribe(room.planId).catch(() => undefined);
    for (const listener of this.unloadListeners) listener(room.planId);
  }

  private armExpiry(connection: Connection): void {
    clearTimeout(connection.expiry);
    const { expiresAt } = connection.grant;
    if (expiresAt === null) return;
    const delay = Math.max(0, expiresAt.getTime() - Date.now());
    // Timers past 2^31 ms overflow; such a far expiry is re-armed when access is checked again.
    if (delay < 2 ** 31 - 1)
      connection.expiry = setTimeout(() => connection.close(CollabCloseCode.Unauthenticated, 'token expired'), delay);
  }

  /**
   * Checks again the sockets that a change of access may concern: each is closed (4401, 4403,
   * 4404) or switched between read-write and read-only, as its credential now allows.
   */
  async recheck(matches: (connection: { planId: string; grant: CollabGrant }) => boolean): Promise<void> {
    const concerned = [...this.connections].filter((connection) => matches(connection));
    // A few at a time, letting sockets be served in between: a crowded room (or the periodic sweep
    // of every socket) is hundreds of authorisations, and database reads may not yield on their own.
    for (let start = 0; start < concerned.length; start += RECHECK_BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      await this.recheckEach(concerned.slice(start, start + RECHECK_BATCH));
    }
  }

  private async recheckEach(connections: readonly Connection[]): Promise<void> {
    await Promise.all(
      connections.map(async (connection) => {
        const authorization = await this.options.authorizer.authorize(connection.token, connection.planId);
        if ('refused' in authorization) {
          this.options.logger.info(
            { planId: connection.planId, userId: connection.grant.identity.userId, code: authorization.refused },
            'collab access withdrawn',
          );
          connection.close(authorization.refused, authorization.reason.slice(0, 120));
        } else {
          connection.grant = authorization.granted;
          this.armExpiry(connection);
        }
      }),
    );
  }

  /**
   * A change made by the server itself (GraphQL mutations): `change` edits a copy of the document;
   * the difference goes through the same path as an editor's update, as `author`. Resolves once stored.
   */
  async applyServerChange<T>(planId: string, author: ChangeAuthor, change: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.hold(planId);
    try {
      const scratch = new Y.Doc({ gc: false });
      Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
      // What the change did, and only that: a diff against the state vector would also carry the
      // whole delete set, so a change that did nothing would still store (and announce) an update.
      const made: Uint8Array[] = [];
      scratch.on('update', (update: Uint8Array) => made.push(update));
      let result: T;
      try {
        result = change(scratch);
      } finally {
        scratch.destroy();
      }
      if (made.length === 0) return result;
      const update = Y.mergeUpdates(made);
      if (room.storedBytes + update.byteLength > this.limits.maxDocumentBytes)
        throw new DocumentTooLargeError(
          `the change would take the plan document past ${this.limits.maxDocumentBytes} bytes`,
        );
      await this.commit(room, update, new ChangeOrigin(author, false), null);
      return result;
    } finally {
      room.inflight -= 1;
      this.unloadIfIdle(room);
    }
  }

  /**
   * Calls `listener` after each update this instance stores (from a socket or the server itself;
   * not replicas from other instances, which their own instance reports). Returns an unsubscribe.
   */
  onStored(listener: (planId: string) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Calls `listener` when a room unloads (nobody here holds its document any more). Returns an unsubscribe. */
  onUnloaded(listener: (planId: string) => void): () => void {
    this.unloadListeners.add(listener);
    return () => this.unloadListeners.delete(listener);
  }

  /**
   * Runs `read` on the plan's live document (loading it if needed), synchronously, without copying
   * it. `read` must not change the document: changes go through applyServerChange.
   */
  async inspect<T>(planId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await this.hold(planId);
    try {
      return read(room.doc);
    } finally {
      room.inflight -= 1;
      this.unloadIfIdle(room);
    }
  }

  /** The plan's current document, encoded. */
  snapshot(planId: string): Promise<Uint8Array> {
    return this.inspect(planId, (doc) => Y.encodeStateAsUpdate(doc));
  }

  /**
   * Brings every loaded room up to date with the store, for updates another instance stored while
   * the fan-out was down; whatever was missing is applied and sent to this instance's sockets.
   */
  async catchUp(): Promise<void> {
    for (const loading of [...this.rooms.values()]) {
      const room = await loading;
      const stored = await this.options.store.load(room.planId);
      const scratch = new Y.Doc();
      await replayStored(scratch, stored);
      const missing = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(room.doc));
      scratch.destroy();
      if (missing.byteLength > 2 && !room.destroyed) this.replicate(room, { kind: 'update', payload: missing });
    }
  }

  /**
   * Stops taking sockets and messages, asks every client to reconnect (elsewhere: 1001), and stores
   * everything accepted so far. Documents stay readable (projections at shutdown); safe to call again.
   */
  stopIntake(): Promise<void> {
    this.intakeStopped ??= (async () => {
      for (const connection of this.connections) connection.close(CLOSE_GOING_AWAY, 'server shutting down');
      await this.checker.close();
      await this.committer.drain();
    })();
    return this.intakeStopped;
  }

  /** Stops the intake, then frees every room; nothing loads afterwards. Safe to call again. */
  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private intakeStopped: Promise<void> | null = null;
  private closed: Promise<void> | null = null;

  private async shutDown(): Promise<void> {
    await this.stopIntake();
    this.closing = true;
    for (const loading of this.rooms.values()) {
      const room = await loading.catch(() => undefined);
      room?.destroy();
    }
    this.rooms.clear();
    await this.options.watcher?.close?.();
    this.options.fanout.close?.();
    this.wss.close();
  }
}
