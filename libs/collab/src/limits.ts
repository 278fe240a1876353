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
