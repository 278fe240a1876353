export { CollabCloseCode, closeCodeReason, isCollabCloseCode } from './close-codes.js';
export {
  CLOSE_GOING_AWAY,
  type CollabLimits,
  CollabServer,
  type CollabServerOptions,
  DEFAULT_LIMITS,
  DocumentTooLargeError,
} from './collab-server.js';
export { Committer } from './committer.js';
export * from './ports.js';
export { decodeDurable, MessageType } from './protocol.js';
export { replayStored, StoredMerger } from './replay.js';
