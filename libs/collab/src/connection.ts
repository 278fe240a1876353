import { CollabCloseCode, closeCodeReason } from '@bascule/collab-protocol';
import type { WebSocket } from 'ws';
import type { CollabLimits } from './limits.js';
import { type ChangeAuthor, ChangeOrigin, type CollabGrant } from './ports.js';
import { TokenBucket } from './token-bucket.js';
import { batchWritesThisTick } from './write-batching.js';

/**
 * What a socket may send a second on average. It bounds the decoding and applying one socket can
 * ask of the event loop (a hostile 1 MiB update takes about 170 ms to check and apply here), far
 * above what editing needs (stock clients also echo every presence change they receive).
 */
const BYTES_PER_SECOND = 1024 * 1024;

/** One socket on one document: what it may still send, who it speaks as, and until when. */
export class Connection {
  /** The awareness client ids this socket announced, in the order it did. */
  readonly clientIds = new Set<number>();
  /** Messages waiting behind a large update's check, handled in the order they came. */
  backlog: Promise<void> = Promise.resolve();
  waiting = 0;
  private readonly messages: TokenBucket;
  /** Bytes a socket may send: BYTES_PER_SECOND (or one largest frame) a second, twice that in a burst. */
  private readonly bytes: TokenBucket;
  private expiry: NodeJS.Timeout | undefined;
  private cachedOrigin: ChangeOrigin | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly documentName: string,
    /** The credential it opened with, presented again whenever access is checked again. */
    readonly token: string | null,
    private current: CollabGrant,
    limits: CollabLimits,
  ) {
    this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    const bytesPerSecond = Math.max(BYTES_PER_SECOND, limits.maxFrameBytes);
    this.bytes = new TokenBucket(bytesPerSecond, bytesPerSecond * 2);
    this.armExpiry();
  }

  get grant(): CollabGrant {
    return this.current;
  }

  /** What the authorizer allows now: the socket switches to it, and closes when it expires. */
  regrant(grant: CollabGrant): void {
    this.current = grant;
    this.armExpiry();
  }

  /** Whether the socket may send one more message of that size (its message and byte rates). */
  admits(byteLength: number): boolean {
    return this.messages.take() && this.bytes.take(byteLength);
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    batchWritesThisTick(this.ws);
    this.ws.send(frame);
  }

  /** Who this socket's updates are from, as its credential says. */
  get origin(): ChangeOrigin {
    const { identity, apiTokenId, role } = this.current;
    if (this.cachedOrigin?.author.role !== role || this.cachedOrigin.author.name !== identity.name) {
      const author: ChangeAuthor = {
        kind: apiTokenId === null ? 'user' : 'apiToken',
        userId: identity.userId,
        apiTokenId,
        name: identity.name,
        role,
      };
      this.cachedOrigin = new ChangeOrigin(author, true);
    }
    return this.cachedOrigin;
  }

  close(code: number, reason = closeCodeReason(code as CollabCloseCode) ?? ''): void {
    this.disarm();
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  /** Stops the expiry timer: the socket is gone. */
  disarm(): void {
    clearTimeout(this.expiry);
  }

  private armExpiry(): void {
    clearTimeout(this.expiry);
    const { expiresAt } = this.current;
    if (expiresAt === null) return;
    const delay = Math.max(0, expiresAt.getTime() - Date.now());
    // Timers past 2^31 ms overflow; such a far expiry is re-armed when access is checked again.
    if (delay < 2 ** 31 - 1)
      this.expiry = setTimeout(() => this.close(CollabCloseCode.Unauthenticated, 'token expired'), delay);
  }
}
