export { CollabServer, type CollabServerOptions } from './collab-server.js';
export { Committer } from './committer.js';
export { type CollabLimits, DEFAULT_LIMITS } from './limits.js';
export * from './ports.js';
export { replayStored, StoredMerger } from './replay.js';
export { DocumentTooLargeError } from './server-change.js';
