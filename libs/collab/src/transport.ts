import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CollabCloseCode, closeCodeReason } from '@bascule/collab-protocol';
import { type WebSocket, WebSocketServer } from 'ws';
import { Connection } from './connection.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { CollabLimits } from './limits.js';
import type { MessageReceiver } from './message-receiver.js';
import type { CollabAuthorizer, CollabLogger } from './ports.js';
import type { Room } from './room.js';
import type { Rooms } from './rooms.js';

const PREFIX = '/collab/';

/**
 * A document's name: one path segment after the prefix (a trailing slash allowed), of URL
 * characters that need no escaping anywhere it goes (logs, fan-out channels, store keys), and
 * short. Anything else names no document; what a valid name stands for is the authorizer's call.
 */
const DOCUMENT_PATH = /^\/collab\/([A-Za-z0-9._~-]{1,128})\/?$/;

/**
 * Resolves after the event loop has polled its sockets once: a first setImmediate may run in the
 * same turn as the I/O callback that queued it, before any new poll.
 */
const twoLoopTurns = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/** Messages a socket may send before its document is open (authorisation, loading). */
const MAX_EARLY_MESSAGES = 64;

export interface TransportOptions {
  readonly limits: CollabLimits;
  readonly authorizer: CollabAuthorizer;
  readonly logger: CollabLogger;
  readonly connections: ConnectionRegistry;
  readonly rooms: Rooms;
  readonly receiver: MessageReceiver;
}

/**
 * The WebSocket side: takes upgrades on /collab/<name>, admits a socket (its credential, the
 * per-user limit), puts it in its document's room, and passes its frames to the receiver.
 */
export class CollabTransport {
  private readonly wss: WebSocketServer;
  private stopped = false;

  constructor(private readonly options: TransportOptions) {
    // ws closes frames beyond maxPayload itself (1009); those just above the limit get 4413 from us.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.limits.maxFrameBytes * 2,
      perMessageDeflate: false,
    });
  }

  static handles(url: string | undefined): boolean {
    return url !== undefined && url.startsWith(PREFIX);
  }

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.accept(ws, request).catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'collab connection failed');
        ws.close(CLOSE_INTERNAL_ERROR, 'internal error');
      });
    });
  }

  /** Sockets that open from now on are asked to reconnect elsewhere (1001). */
  stop(): void {
    this.stopped = true;
  }

  close(): void {
    this.wss.close();
  }

  private async accept(ws: WebSocket, request: IncomingMessage): Promise<void> {
    const { limits, authorizer, connections, rooms, receiver } = this.options;
    // Messages sent right after opening are kept until the room is ready, in order: a few, before
    // anyone knows who sent them.
    const early: Buffer[] = [];
    let earlyBytes = 0;
    const keep = (data: Buffer) => {
      if (data.byteLength > limits.maxFrameBytes)
        return void ws.close(CollabCloseCode.TooLarge, closeCodeReason(CollabCloseCode.TooLarge));
      earlyBytes += data.byteLength;
      if (early.length >= MAX_EARLY_MESSAGES || earlyBytes > limits.maxFrameBytes * 4)
        return void ws.close(CollabCloseCode.RateLimited, 'too much sent before the document was open');
      early.push(data);
    };
    ws.on('message', keep);
    ws.on('error', () => undefined);
    if (this.stopped) return void ws.close(CLOSE_GOING_AWAY, 'server shutting down');

    const url = new URL(request.url ?? '/', 'http://collab');
    const name = DOCUMENT_PATH.exec(url.pathname)?.[1];
    if (name === undefined)
      return void ws.close(CollabCloseCode.UnknownDocument, closeCodeReason(CollabCloseCode.UnknownDocument));
    const token = url.searchParams.get('token');
    // The document loads while access is checked, once the credential is known genuine; the
    // preload holds it until the socket is in its room (or refused).
    let releasePreload: () => void = () => undefined;
    let answeredEarly = false;
    let room: Room;
    let connection: Connection;
    try {
      const authorization = await authorizer.authorize(token, name, () => {
        releasePreload();
        // A client that already holds the document (a browser's offline copy) opens with a sync
        // step 1 of its own state: nothing to answer from the stored bytes, the load may go on.
        releasePreload = rooms.preload(name, early.length > 0 && !receiver.isNewClientSync(early[0] as Buffer));
      });
      if ('refused' in authorization) return void ws.close(authorization.refused, authorization.reason.slice(0, 120));
      const { granted } = authorization;
      if (connections.isFull(granted.identity.userId)) {
        return void ws.close(CollabCloseCode.RateLimited, 'too many connections for this user');
      }
      if (ws.readyState !== ws.OPEN) return;

      connection = new Connection(ws, name, token, granted, limits);
      connections.add(connection);
      try {
        // A new client's sync, sent at once on opening, is answered as soon as the document is read.
        room = await rooms.enter(name, connection, async (loading) => {
          if (loading.snapshotToApply === null) return;
          // On SQLite the admission may not have left the event loop once: the frames the client sent
          // on opening are still to be read off the socket.
          if (early.length === 0) await twoLoopTurns();
          if (early.length === 0 || !receiver.answerBeforeLoad(connection, loading, early[0] as Buffer)) return;
          early.shift();
          answeredEarly = true;
          // The answer leaves (its socket is uncorked at the end of this tick) before the load holds the loop.
          await new Promise((resolve) => setImmediate(resolve));
        });
      } catch (error) {
        connections.forget(connection);
        throw error;
      }
    } finally {
      releasePreload();
    }
    ws.on('close', () => this.leave(connection, room));
    ws.off('message', keep);
    const onMessage = (data: Buffer, isBinary: boolean) => receiver.receive(connection, room, data, isBinary);
    ws.on('message', onMessage);
    if (ws.readyState !== ws.OPEN) return this.leave(connection, room);

    room.greet(connection, !answeredEarly);
    for (const data of early) onMessage(data, true);
  }

  private leave(connection: Connection, room: Room): void {
    if (this.options.connections.forget(connection)) room.leave(connection);
  }
}
