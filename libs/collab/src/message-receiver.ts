import {
  type ClientMessage,
  CLOSE_INTERNAL_ERROR,
  CollabCloseCode,
  decodeMessage,
  encodeAwareness,
  encodeDurable,
  encodeSyncStep1,
  encodeSyncStep2,
  MalformedMessageError,
} from '@bascule/collab-protocol';
import * as Y from 'yjs';
import type { Connection } from './connection.js';
import type { CollabLimits } from './limits.js';
import type { CollabLogger } from './ports.js';
import type { Room } from './room.js';
import { UpdateChecker } from './update-checker.js';

/** An update with no structs and no deletions: what Yjs encodes for "nothing" (two zero counts). */
const isEmptyUpdate = (update: Uint8Array) => update.byteLength === 2 && update[0] === 0 && update[1] === 0;
/** The state vector of a client that holds nothing yet (no client, one zero count). */
const isEmptyStateVector = (vector: Uint8Array) => vector.byteLength === 1 && vector[0] === 0;

/** State vectors of stored snapshots, by their bytes (see `stateVectorOfSnapshot`). */
const snapshotStateVectors = new WeakMap<Uint8Array, Uint8Array>();

/**
 * The state vector of a stored snapshot, computed once for the same bytes: a store that keeps
 * snapshots in memory hands each load of a plan the same bytes, and reading the vector out of them
 * parses the whole update (about 2 ms for 100 KB). Stored bytes are never changed in place.
 */
export function stateVectorOfSnapshot(snapshot: Uint8Array): Uint8Array {
  let vector = snapshotStateVectors.get(snapshot);
  if (vector === undefined) {
    vector = Y.encodeStateVectorFromUpdate(snapshot);
    snapshotStateVectors.set(snapshot, vector);
  }
  return vector;
}

/**
 * Takes the frames of every socket: its limits, the message's structure, its update checked before
 * any document sees it (off the event loop when large, the socket's later messages waiting behind
 * it, in order), then what the message asks of the room.
 */
export class MessageReceiver {
  private readonly checker = new UpdateChecker();
  private stopped = false;

  constructor(
    private readonly limits: CollabLimits,
    private readonly logger: CollabLogger,
  ) {}

  receive(connection: Connection, room: Room, data: Buffer, isBinary: boolean): void {
    if (!room.connections.has(connection)) return;
    if (data.byteLength > this.limits.maxFrameBytes) return connection.close(CollabCloseCode.TooLarge);
    if (!connection.admits(data.byteLength)) return connection.close(CollabCloseCode.RateLimited);
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

  /**
   * A socket's first frame, received while its document is still loading: if it is the sync of a
   * client that holds nothing yet and the room can already say the whole document (a stored snapshot
   * being applied), it is answered now, ahead of the load. Says whether it was; if not, the frame
   * is for `receive` once the room is loaded.
   */
  answerBeforeLoad(connection: Connection, room: Room, data: Buffer): boolean {
    const state = room.snapshotToApply;
    if (state === null || !this.isNewClientSync(data)) return false;
    // Counted like any frame; one over the limit is left to `receive`, which closes the socket.
    if (!connection.admits(data.byteLength)) return false;
    // The server's sync step 1 first, as a loaded room greets: the client answers it with its own
    // changes before it holds the document, not with those it makes once it does (they would be
    // stored twice, sent as updates too).
    connection.send(encodeSyncStep1(stateVectorOfSnapshot(state)));
    connection.send(encodeSyncStep2(state));
    return true;
  }

  /** Whether a frame is the sync step 1 of a client that holds nothing yet (what `answerBeforeLoad` answers). */
  isNewClientSync(data: Buffer): boolean {
    if (data.byteLength > this.limits.maxFrameBytes) return false;
    try {
      const message = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return message.kind === 'syncStep1' && isEmptyStateVector(message.stateVector);
    } catch {
      return false;
    }
  }

  /** Takes no more messages (those already checked are dropped too), and stops the checker's thread. */
  stop(): Promise<void> {
    this.stopped = true;
    return this.checker.close();
  }

  /** Queues work behind the socket's earlier messages (a large update is being checked off the loop). */
  private later(connection: Connection, room: Room, work: () => Promise<void>): void {
    connection.waiting += 1;
    connection.backlog = connection.backlog
      .then(work)
      .catch((error: unknown) => {
        this.logger.error({ err: error, document: room.name }, 'collab message failed');
        connection.close(CLOSE_INTERNAL_ERROR);
      })
      .finally(() => {
        connection.waiting -= 1;
      });
  }

  /** Handles a message whose update, if any, has been checked: `malformed` says what is wrong with it. */
  private dispatch(connection: Connection, room: Room, message: ClientMessage, malformed: string | null): void {
    // After close nothing new is stored; the client sends what was not acknowledged again elsewhere.
    if (!room.connections.has(connection) || this.stopped) return;
    if (malformed !== null) return this.refuseMalformed(connection, room, malformed);
    try {
      this.handle(connection, room, message);
    } catch (error) {
      if (!(error instanceof MalformedMessageError))
        this.logger.error({ err: error, document: room.name }, 'collab message failed');
      connection.close(
        error instanceof MalformedMessageError ? CollabCloseCode.MalformedMessage : CLOSE_INTERNAL_ERROR,
      );
    }
  }

  private refuseMalformed(connection: Connection, room: Room, reason: string): void {
    this.logger.debug(
      { document: room.name, userId: connection.grant.identity.userId, reason },
      'malformed collab frame',
    );
    connection.close(CollabCloseCode.MalformedMessage);
  }

  private handle(connection: Connection, room: Room, message: ClientMessage): void {
    switch (message.kind) {
      case 'syncStep1':
        connection.send(
          encodeSyncStep2(
            isEmptyStateVector(message.stateVector)
              ? room.encodedWholeState()
              : Y.encodeStateAsUpdate(room.doc, message.stateVector),
          ),
        );
        return;
      case 'syncStep2':
      case 'update':
        return this.receiveUpdate(connection, room, message.update);
      case 'awareness':
        return room.receiveAwareness(connection, message.update);
      case 'queryAwareness':
        connection.send(encodeAwareness(room.presence.encodeStates()));
        return;
    }
  }

  /** An editor's update: dropped from a read-only socket, refused past the document's size limit, else stored. */
  private receiveUpdate(connection: Connection, room: Room, update: Uint8Array): void {
    if (connection.grant.readOnly) {
      this.logger.debug(
        { document: room.name, userId: connection.grant.identity.userId },
        'update from a read-only connection ignored',
      );
      return;
    }
    if (room.storedBytes + update.byteLength > this.limits.maxDocumentBytes) {
      return connection.close(CollabCloseCode.TooLarge, 'document too large');
    }
    // An empty update (a new client's sync step 2 with nothing of its own) has nothing to store.
    if (isEmptyUpdate(update)) return connection.send(encodeDurable(Y.encodeStateVector(room.doc)));
    room.commit(update, connection.origin, connection).catch((error: unknown) => {
      this.logger.error({ err: error, document: room.name }, 'update could not be sent on after it was stored');
    });
  }
}
