import * as Y from 'yjs';
import type { Connection } from './connection.js';
import type { DocumentStore, StoredDocument } from './ports.js';
import { replayStored } from './replay.js';
import { LOAD_ORIGIN, Room, type RoomServices } from './room.js';

export interface RoomsOptions {
  readonly store: DocumentStore;
  /** What every room is given; `onIdle` is the registry's own. */
  readonly services: Omit<RoomServices, 'onIdle'>;
  /** Told when a room unloads (nobody here holds its document any more). */
  readonly onUnloaded: (name: string) => void;
}

/**
 * A room and its load: sockets join it at once, and wait for `loaded` before they are served. The
 * load reads the store (`read`); when it read a snapshot alone, it waits for `apply()` before
 * applying it, so that the socket being admitted is answered from those bytes first (see `enter`).
 */
interface Entry {
  readonly room: Room;
  readonly read: Promise<unknown>;
  readonly loaded: Promise<Room>;
  readonly apply: () => void;
}

/**
 * The documents loaded on this instance, by name: loads each on first use (subscribed to the
 * fan-out first, so that nothing falls between), keeps it while a socket or some work holds it,
 * and unloads it when nothing does.
 */
export class Rooms {
  private readonly entries = new Map<string, Entry>();
  private readonly services: RoomServices;
  private closed = false;

  constructor(private readonly options: RoomsOptions) {
    this.services = { ...options.services, onIdle: (room) => this.unloadIfIdle(room) };
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether the document is loaded here (being loaded counts). */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /**
   * Adds an admitted socket to its document's room, loading the room if needed. The socket counts
   * from now on, so the room stays loaded once it is handed over.
   */
  async enter(name: string, connection: Connection, onRead?: (room: Room) => Promise<void>): Promise<Room> {
    const { room, read, loaded, apply } = this.acquire(name);
    room.connections.add(connection);
    try {
      // A cold load's two halves, with the socket's first answer between them: `onRead` can send
      // what was read (`Room.snapshotToApply`) before applying it holds the event loop.
      try {
        await read.catch(() => undefined);
        if (!room.destroyed) await onRead?.(room);
      } finally {
        apply();
      }
      await loaded;
      // Only a shutdown unloads a room with a socket in it.
      if (room.destroyed) throw new Error('the collab server is shut down');
    } catch (error) {
      room.connections.delete(connection);
      throw error;
    }
    return room;
  }

  /**
   * Starts loading a document before a socket is admitted to it (its credential is genuine, its
   * access still being checked), so that reading the store and checking access overlap. The room is
   * held until the returned function is called; then, with no socket in it, it unloads. A stored
   * snapshot is applied once the socket is admitted (its first answer may be those bytes), unless
   * `applyAtOnce` says that socket will not be answered from them: then applying overlaps the check too.
   */
  preload(name: string, applyAtOnce = false): () => void {
    if (this.closed) return () => undefined;
    const { room, loaded, apply } = this.acquire(name);
    if (applyAtOnce) apply();
    room.inflight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      apply();
      // A load that failed took its room away already: nothing to release.
      loaded.then(
        () => room.release(),
        () => undefined,
      );
    };
  }

  /**
   * A loaded room, held (`inflight`) from the moment it is handed over: between a load and the
   * code that waited for it, whoever else waited may release the room and unload it, and a change
   * made on an unloaded room would be stored with no watcher to record it. End with `release()`.
   */
  async hold(name: string): Promise<Room> {
    for (;;) {
      const entry = this.acquire(name);
      entry.apply();
      const room = await entry.loaded;
      if (!room.destroyed) {
        room.inflight += 1;
        return room;
      }
    }
  }

  /**
   * Brings every loaded room up to date with the store, for updates another instance stored while
   * the fan-out was down; whatever was missing is applied and sent to this instance's sockets.
   */
  async catchUp(): Promise<void> {
    for (const { loaded } of [...this.entries.values()]) {
      const room = await loaded;
      const stored = await this.options.store.load(room.name);
      const scratch = new Y.Doc();
      await replayStored(scratch, stored);
      const missing = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(room.doc));
      scratch.destroy();
      if (missing.byteLength > 2 && !room.destroyed) room.replicate({ kind: 'update', payload: missing });
    }
  }

  /** Frees every room; nothing loads afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { loaded, apply } of this.entries.values()) {
      apply();
      const room = await loaded.catch(() => undefined);
      room?.destroy();
    }
    this.entries.clear();
  }

  /** The room's entry, its load started if it is new. */
  private acquire(name: string): Entry {
    // After close, a late caller (a projection flushing at shutdown) must not load a room nobody frees.
    if (this.closed) throw new Error('the collab server is shut down');
    let entry = this.entries.get(name);
    if (entry === undefined) {
      const room = new Room(name, this.services);
      let apply!: () => void;
      const applying = new Promise<void>((resolve) => (apply = resolve));
      const read = this.read(room);
      const loaded = read.then(async (stored) => {
        // Only a stored snapshot can answer a socket before it is applied: anything else applies at once.
        if (room.snapshotToApply !== null) await applying;
        return this.apply(room, stored);
      });
      entry = { room, read, loaded, apply };
      this.entries.set(name, entry);
      loaded.catch(() => this.entries.delete(name));
    }
    return entry;
  }

  /** Subscribes first, then reads the store, so that nothing falls between. */
  private async read(room: Room): Promise<StoredDocument> {
    await this.services.fanout.subscribe(room.name, (message) => room.replicate(message));
    const stored = await this.options.store.load(room.name);
    if (stored.snapshot !== null && stored.updates.length === 0) room.loadingSnapshot(stored.snapshot);
    return stored;
  }

  private async apply(room: Room, stored: StoredDocument): Promise<Room> {
    const { watchers, logger } = this.services;
    let intact = true;
    const applied = await replayStored(room.doc, stored, {
      origin: LOAD_ORIGIN,
      onInvalid: (error) => {
        intact = false;
        logger.error({ err: error, document: room.name }, 'a stored update could not be applied and was skipped');
      },
    });
    room.loadedStoredDocument(intact);
    room.storedBytes += applied; // after the await: replicated updates may have been counted meanwhile
    room.watches = [...watchers].map((watcher) => watcher.watch(room.name, room.doc));
    return room;
  }

  private unloadIfIdle(room: Room): void {
    // A room unloaded already: its name's entry may be a newer room's by now.
    if (room.destroyed || !room.idle) return;
    this.entries.delete(room.name);
    room.destroy();
    void this.services.fanout.unsubscribe(room.name).catch(() => undefined);
    this.options.onUnloaded(room.name);
  }
}
