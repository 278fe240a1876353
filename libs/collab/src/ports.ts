import type { CollabCloseCode } from '@bascule/collab-protocol';
import type * as Y from 'yjs';

/** Who is on the other end of a socket, as the server vouches for them to everyone else. */
export interface CollabIdentity {
  readonly userId: string;
  readonly name: string;
  readonly color: string;
}

export interface CollabGrant {
  readonly identity: CollabIdentity;
  readonly readOnly: boolean;
  /** What the socket acts as on the document, in the authorizer's words: passed on in ChangeAuthor. */
  readonly role: string | null;
  /** When the credential stops being valid; the socket is closed then (4401). */
  readonly expiresAt: Date | null;
  /** What revocation events are matched against. */
  readonly sessionId: string | null;
  readonly apiTokenId: string | null;
}

/** Who made a change, as the server vouches for it (never as a client claims). */
export interface ChangeAuthor {
  readonly kind: 'user' | 'apiToken' | 'system';
  /** The user behind it (for an API token, its owner); null for the system. */
  readonly userId: string | null;
  readonly apiTokenId: string | null;
  /** Shown in the trail and on approvals. */
  readonly name: string;
  /** What it acted as on the document (the grant's role); null for the system. */
  readonly role: string | null;
}

/** Changes Bascule makes by itself (automatic risks, schema upgrades, governance corrections). */
export const SYSTEM_AUTHOR: ChangeAuthor = {
  kind: 'system',
  userId: null,
  apiTokenId: null,
  name: 'Bascule',
  role: null,
};

/**
 * The origin of every transaction the server stores and applies to a live document: who made it,
 * and whether it came from a socket (a client's update, which the server checks after the fact) or
 * from the server itself (checked by the code that made it, before it was stored).
 */
export class ChangeOrigin {
  constructor(
    readonly author: ChangeAuthor,
    readonly viaSocket: boolean,
    /** The stored update (its id in the log) that carried the change, once it is stored. */
    readonly updateId: StoredUpdateId | null = null,
  ) {}

  /** The same author and path, for the stored update `updateId`. */
  storedAs(updateId: StoredUpdateId): ChangeOrigin {
    return new ChangeOrigin(this.author, this.viaSocket, updateId);
  }
}

/** What the store calls an update it has appended (a row id). */
export type StoredUpdateId = number;

/** Follows the documents loaded on this instance: it sees every transaction applied to them. */
export interface DocumentWatcher {
  /**
   * Called when a room has loaded its stored state, before any socket sees it. Transactions from this
   * instance have a ChangeOrigin; those from elsewhere (replicas, loads) do not.
   */
  watch(name: string, doc: Y.Doc): { close(): void };
  /** Called for an update this instance stored but could not apply: it changed nothing. */
  unapplied?(name: string, updateId: StoredUpdateId): void;
  /**
   * Called when the collab server closes, after its intake stopped and before it frees the documents
   * (which can still be changed then): finish what the watcher still holds.
   */
  close?(): Promise<void>;
}

export type Authorization =
  { readonly granted: CollabGrant } | { readonly refused: CollabCloseCode; readonly reason: string };

/**
 * Decides who may open a document's socket, and decides again when access changes. Names are
 * opaque to the engine (the path segment after /collab/): what one stands for, and whether it
 * stands for anything, is the authorizer's to say (4404 when it does not).
 */
export interface CollabAuthorizer {
  /**
   * Decides on a socket. `credentialVerified`, when the authorizer calls it, says the credential is
   * genuine (signed by this installation, or a live API token) while its access to `name` is still
   * being checked: the server then loads the document meanwhile, and frees it if the answer is no.
   */
  authorize(token: string | null, name: string, credentialVerified?: () => void): Promise<Authorization>;
}

export interface StoredDocument {
  /** The merged state up to some point, or null for a document never compacted. */
  readonly snapshot: Uint8Array | null;
  /** Every update stored after the snapshot, in order. */
  readonly updates: readonly Uint8Array[];
}

export interface PendingUpdate {
  readonly documentName: string;
  readonly update: Uint8Array;
  /** Stored with the update, so that what it changed can be told (and attributed) after a crash. */
  readonly author: ChangeAuthor;
}

/** Durable storage of documents: an append-only log of updates, read back with its snapshot. */
export interface DocumentStore {
  load(name: string): Promise<StoredDocument>;
  /**
   * Appends every update in one transaction: all are durable when it resolves, none if it throws.
   * Resolves with the ids the updates were stored under, in order.
   */
  append(updates: readonly PendingUpdate[]): Promise<readonly StoredUpdateId[]>;
  /** Resolves if the store answers at all: tells a store that is down from an update it refuses. */
  ping?(): Promise<void>;
}

export type FanoutMessage = { readonly kind: 'update' | 'awareness'; readonly payload: Uint8Array };

/** Carries durable updates and awareness between instances serving the same document. */
export interface Fanout {
  /** Resolves once messages published from now on will be delivered to `onMessage`. */
  subscribe(name: string, onMessage: (message: FanoutMessage) => void): Promise<void>;
  unsubscribe(name: string): Promise<void>;
  publish(name: string, message: FanoutMessage): void;
  /** Called after the carrier was down, when messages may have been missed. */
  onReconnect?(listener: () => void): void;
  /** Releases connections; called once the server has closed. */
  close?(): void;
}

/** The single-instance fan-out: every client is in this process, so there is nothing to carry. */
export const localFanout: Fanout = {
  subscribe: async () => undefined,
  unsubscribe: async () => undefined,
  publish: () => undefined,
};

export interface CollabLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}
