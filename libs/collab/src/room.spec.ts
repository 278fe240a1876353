import { afterEach, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { Committer } from './committer.js';
import type { CollabLogger, DocumentStore, Fanout } from './ports.js';
import { LOAD_ORIGIN, Room, type RoomServices } from './room.js';

const silent: CollabLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const store: DocumentStore = { load: async () => ({ snapshot: null, updates: [] }), append: async () => [] };
const fanout: Fanout = {
  subscribe: async () => undefined,
  unsubscribe: async () => undefined,
  publish: () => undefined,
};
const services: RoomServices = {
  committer: new Committer(store, silent),
  fanout,
  logger: silent,
  watchers: new Set(),
  metrics: undefined,
  onStored: () => undefined,
  onIdle: () => undefined,
};

function updateWith(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('Room: the stored snapshot a new client may be sent before it is applied', () => {
  const rooms: Room[] = [];
  /** A room freed after the test (its presence runs a timer). */
  const roomOf = (name: string) => {
    const room = new Room(name, services);
    rooms.push(room);
    return room;
  };
  afterEach(() => {
    for (const room of rooms.splice(0)) room.destroy();
  });

  it('stands for the document while only the load changes it, and becomes its encoding once applied', () => {
    const room = roomOf('plan');
    const snapshot = updateWith('stored');
    room.loadingSnapshot(snapshot);
    expect(room.snapshotToApply).toBe(snapshot);
    Y.applyUpdate(room.doc, snapshot, LOAD_ORIGIN);
    expect(room.snapshotToApply).toBe(snapshot);
    room.loadedStoredDocument(true);
    expect(room.snapshotToApply).toBeNull();
    expect(room.encodedWholeState()).toBe(snapshot);
  });

  it('is dropped when a replica reaches the document before or during the load', () => {
    const early = roomOf('plan');
    early.replicate({ kind: 'update', payload: updateWith('from another instance') });
    early.loadingSnapshot(updateWith('stored'));
    expect(early.snapshotToApply).toBeNull();

    const during = roomOf('plan');
    during.loadingSnapshot(updateWith('stored'));
    during.replicate({ kind: 'update', payload: updateWith('from another instance') });
    expect(during.snapshotToApply).toBeNull();
  });

  it('is not the encoding of a document it was not wholly applied to, nor of one changed since', () => {
    const room = roomOf('plan');
    const snapshot = updateWith('stored');
    room.loadingSnapshot(snapshot);
    room.loadedStoredDocument(false);
    expect(room.encodedWholeState()).not.toBe(snapshot);

    const changed = roomOf('plan');
    changed.loadingSnapshot(snapshot);
    Y.applyUpdate(changed.doc, snapshot, LOAD_ORIGIN);
    changed.loadedStoredDocument(true);
    changed.replicate({ kind: 'update', payload: updateWith('more') });
    const whole = new Y.Doc();
    Y.applyUpdate(whole, changed.encodedWholeState());
    expect(whole.getText('t').toString()).toContain('more');
    expect(whole.getText('t').toString()).toContain('stored');
  });
});
