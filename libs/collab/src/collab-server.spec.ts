import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CollabCloseCode,
  decodeDurable,
  encodeAwareness,
  encodeSyncStep1,
  encodeUpdate,
  MessageType,
} from '@bascule/collab-protocol';
import { afterEach, describe, expect, it } from '@jest/globals';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CollabServer } from './collab-server.js';
import {
  type Authorization,
  type ChangeAuthor,
  ChangeOrigin,
  type CollabAuthorizer,
  type CollabLogger,
  type DocumentStore,
  type Fanout,
  type FanoutMessage,
  type PendingUpdate,
  type StoredDocument,
  type StoredUpdateId,
} from './ports.js';

const silent: CollabLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

async function eventually(assertion: () => void, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/** A log of updates per document; `hold()` keeps appends waiting until `release()`. */
class MemoryStore implements DocumentStore {
  readonly logs = new Map<string, PendingUpdate[]>();
  /** Appends called, stored or not yet. */
  appendsStarted = 0;
  private nextId = 1;
  private gate: Promise<void> = Promise.resolve();
  private openGate: () => void = () => undefined;

  async load(name: string): Promise<StoredDocument> {
    return { snapshot: null, updates: (this.logs.get(name) ?? []).map((entry) => entry.update) };
  }

  async append(updates: readonly PendingUpdate[]): Promise<StoredUpdateId[]> {
    this.appendsStarted += 1;
    await this.gate;
    return updates.map((entry) => {
      this.logs.set(entry.documentName, [...(this.logs.get(entry.documentName) ?? []), entry]);
      return (this.nextId += 1);
    });
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate();
  }

  logOf(name: string): readonly PendingUpdate[] {
    return this.logs.get(name) ?? [];
  }
}

/** One instance's end of an in-memory fan-out: what one publishes, the others receive (later, as over Redis). */
class MemoryFanout implements Fanout {
  readonly handlers = new Map<string, (message: FanoutMessage) => void>();

  constructor(private readonly peers: MemoryFanout[]) {
    peers.push(this);
  }

  async subscribe(name: string, onMessage: (message: FanoutMessage) => void): Promise<void> {
    this.handlers.set(name, onMessage);
  }

  async unsubscribe(name: string): Promise<void> {
    this.handlers.delete(name);
  }

  publish(name: string, message: FanoutMessage): void {
    for (const peer of this.peers) if (peer !== this) setImmediate(() => peer.handlers.get(name)?.(message));
  }
}

/** Tokens `write:<user>` and `read:<user>`; names starting with `missing` stand for nothing. */
class MemoryAuthorizer implements CollabAuthorizer {
  readonly asked: string[] = [];

  async authorize(token: string | null, name: string): Promise<Authorization> {
    this.asked.push(name);
    if (name.startsWith('missing')) return { refused: CollabCloseCode.UnknownDocument, reason: 'no such thing' };
    const [access, userId] = (token ?? '').split(':');
    if ((access !== 'write' && access !== 'read') || userId === undefined)
      return { refused: CollabCloseCode.Forbidden, reason: 'not yours' };
    return {
      granted: {
        identity: { userId, name: `User ${userId}`, color: '#123456' },
        readOnly: access === 'read',
        role: access === 'read' ? 'reader' : 'writer',
        expiresAt: null,
        sessionId: null,
        apiTokenId: null,
      },
    };
  }
}

/**
 * Takes a while to grant, as a check against a database does: a client's first frame, sent on
 * opening, has arrived by then (on loopback within the process, two loop turns are not enough).
 */
class UnhurriedAuthorizer extends MemoryAuthorizer {
  override async authorize(token: string | null, name: string): Promise<Authorization> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return super.authorize(token, name);
  }
}

const FROM_SERVER = Symbol('server');

/** A y-websocket protocol client over a real WebSocket: syncs its doc and awareness, records what it gets. */
class TestClient {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Durable acknowledgements received, in order. */
  readonly acknowledgements: Map<number, number>[] = [];
  /** Sync update frames received (broadcasts). */
  updatesReceived = 0;
  /** The updates of the sync step 2 frames received, as the server encoded them. */
  readonly syncStep2Updates: Uint8Array[] = [];
  private syncStep2Received = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    this.awareness.setLocalState(null);
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data)));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER) this.send(encodeUpdate(update));
    });
  }

  static open(baseUrl: string, path: string, token: string): TestClient {
    const client = new TestClient(new WebSocket(`${baseUrl}${path}?token=${encodeURIComponent(token)}`));
    client.ws.on('open', () => client.send(encodeSyncStep1(Y.encodeStateVector(client.doc))));
    return client;
  }

  get synced(): boolean {
    return this.syncStep2Received > 0;
  }

  /** Announces a presence state for this client's id. */
  announce(state: Record<string, unknown>): void {
    this.awareness.setLocalState(state);
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.send(encodeAwareness(update));
  }

  /** Resolves once the server has answered a sync step 1 sent now: whatever it sent before has arrived. */
  async roundTrip(): Promise<void> {
    const before = this.syncStep2Received;
    this.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    await eventually(() => expect(this.syncStep2Received).toBeGreaterThan(before));
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  destroy(): void {
    this.ws.terminate();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.Sync) {
      if (frame[1] === syncProtocol.messageYjsSyncStep2)
        this.syncStep2Updates.push(decoding.readVarUint8Array(decoding.createDecoder(frame.subarray(2))));
      const reply = encoding.createEncoder();
      encoding.writeVarUint(reply, MessageType.Sync);
      const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, FROM_SERVER);
      if (step === syncProtocol.messageYjsSyncStep1) this.send(encoding.toUint8Array(reply));
      if (step === syncProtocol.messageYjsSyncStep2) this.syncStep2Received += 1;
      if (step === syncProtocol.messageYjsUpdate) this.updatesReceived += 1;
    } else if (type === MessageType.Awareness) {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), FROM_SERVER);
    } else if (type === MessageType.Auth) {
      const acknowledged = decodeDurable(frame);
      if (acknowledged !== undefined) this.acknowledgements.push(acknowledged);
    }
  }
}

interface Instance {
  readonly server: CollabServer;
  readonly baseUrl: string;
  readonly fanout: MemoryFanout;
  readonly http: Server;
}

describe('CollabServer over real sockets, with in-memory ports', () => {
  const instances: Instance[] = [];
  const clients: TestClient[] = [];

  async function start(
    store = new MemoryStore(),
    peers: MemoryFanout[] = [],
    authorizer = new MemoryAuthorizer(),
  ): Promise<Instance> {
    const fanout = new MemoryFanout(peers);
    const server = new CollabServer({ authorizer, store, fanout, logger: silent });
    const http = createServer();
    http.on('upgrade', (request, socket, head: Buffer) => {
      if (CollabServer.handles(request.url)) server.handleUpgrade(request, socket, head);
      else socket.destroy();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const instance = { server, fanout, http, baseUrl: `ws://127.0.0.1:${(http.address() as AddressInfo).port}` };
    instances.push(instance);
    return instance;
  }

  function connect(instance: Instance, name: string, token = 'write:alice'): TestClient {
    const client = TestClient.open(instance.baseUrl, `/collab/${name}`, token);
    clients.push(client);
    return client;
  }

  async function synced(...connecting: TestClient[]): Promise<void> {
    await eventually(() => expect(connecting.map((client) => client.synced)).toEqual(connecting.map(() => true)));
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const { server, http } of instances.splice(0)) {
      await server.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    }
  });

  it('loads the document while access is checked once the credential is genuine, and frees it on a refusal', async () => {
    /** Says the credential is genuine at once, then answers only when told to. */
    class SlowAuthorizer extends MemoryAuthorizer {
      answer: () => void = () => undefined;
      started = 0;
      override async authorize(token: string | null, name: string, credentialVerified?: () => void) {
        this.started += 1;
        if (token !== 'forged') credentialVerified?.();
        await new Promise<void>((resolve) => (this.answer = resolve));
        return super.authorize(token, name);
      }
    }
    const store = new MemoryStore();
    const loads: string[] = [];
    const load = store.load.bind(store);
    store.load = async (name: string) => {
      loads.push(name);
      return load(name);
    };
    const authorizer = new SlowAuthorizer();
    const instance = await start(store, [], authorizer);

    const alice = connect(instance, 'notes');
    await eventually(() => expect(loads).toEqual(['notes']));
    expect(instance.server.isLoaded('notes')).toBe(true);
    expect(alice.synced).toBe(false);
    authorizer.answer();
    await synced(alice);
    expect(loads).toEqual(['notes']);

    // Refused after the preload: the room is freed, nobody holds it.
    const stranger = connect(instance, 'missing-plan');
    await eventually(() => expect(loads).toEqual(['notes', 'missing-plan']));
    authorizer.answer();
    expect((await stranger.closed).code).toBe(CollabCloseCode.UnknownDocument);
    await eventually(() => expect(instance.server.isLoaded('missing-plan')).toBe(false));

    // A credential that is not genuine loads nothing.
    const forger = connect(instance, 'other', 'forged');
    await eventually(() => expect(authorizer.started).toBe(3));
    authorizer.answer();
    expect((await forger.closed).code).toBe(CollabCloseCode.Forbidden);
    expect(loads).toEqual(['notes', 'missing-plan']);
    expect(instance.server.stats.rooms).toBe(1);
  });

  it('answers new clients with the stored snapshot as it is, until the document changes', async () => {
    // A snapshot whose bytes differ from the document's own encoding once applied (it keeps deleted
    // text, which the server's document collects): what a client gets tells which was sent.
    const source = new Y.Doc({ gc: false });
    source.getText('t').insert(0, 'stored, then cut');
    source.getText('t').delete(6, 10);
    source.getMap('m').set('k', 'v');
    const snapshot = Y.encodeStateAsUpdate(source);
    const applied = new Y.Doc();
    Y.applyUpdate(applied, snapshot);
    expect(Buffer.from(Y.encodeStateAsUpdate(applied)).equals(Buffer.from(snapshot))).toBe(false);

    const store = new MemoryStore();
    store.load = async () => ({ snapshot, updates: [] });
    const instance = await start(store, [], new UnhurriedAuthorizer());
    const watched: string[] = [];
    instance.server.watch({ watch: (name) => (watched.push(name), { close: () => undefined }) });

    // The first client is answered from the stored bytes, before they are applied; a later one
    // from the same bytes, kept as the document's encoding while it does not change.
    const alice = connect(instance, 'stored');
    await synced(alice);
    await eventually(() => expect(watched).toEqual(['stored']));
    const bob = connect(instance, 'stored', 'write:bob');
    await synced(bob);
    for (const client of [alice, bob]) {
      expect(Buffer.from(client.syncStep2Updates[0] as Uint8Array).equals(Buffer.from(snapshot))).toBe(true);
      expect(client.doc.getText('t').toString()).toBe('stored');
    }

    // Once it changes, a new client gets the change.
    alice.doc.getText('t').insert(0, 'changed and ');
    await eventually(() => expect(bob.doc.getText('t').toString()).toBe('changed and stored'));
    const carol = connect(instance, 'stored', 'write:carol');
    await synced(carol);
    expect(carol.doc.getText('t').toString()).toBe('changed and stored');
    expect(carol.doc.getMap('m').get('k')).toBe('v');
  });

  it('stores once an edit made the moment a client answered from the snapshot holds the document', async () => {
    const source = new Y.Doc();
    source.getText('t').insert(0, 'stored');
    const snapshot = Y.encodeStateAsUpdate(source);
    const store = new MemoryStore();
    const load = store.load.bind(store);
    store.load = async (name: string) => ({ snapshot, updates: (await load(name)).updates });
    const instance = await start(store, [], new UnhurriedAuthorizer());

    // The client is answered from the stored bytes before they are applied. It edits in the same turn
    // as the sync step 2 that brought the document, as an editor typing at once would; whatever the
    // server asks afterwards must not carry that edit again. Storing is held, so that the server's
    // document does not hold the edit yet either.
    store.hold();
    const alice = connect(instance, 'early');
    alice.ws.on('message', () => {
      if (alice.synced && alice.doc.getText('t').length === 'stored'.length)
        alice.doc.getText('t').insert(0, 'typed at once, ');
    });
    await synced(alice);
    await eventually(() => expect(store.appendsStarted).toBe(1));
    await alice.roundTrip();
    store.release();
    await eventually(() => expect(store.logOf('early')).toHaveLength(1));
    await alice.roundTrip();
    expect(store.appendsStarted).toBe(1);
    expect(store.logOf('early')).toHaveLength(1);
    expect(alice.doc.getText('t').toString()).toBe('typed at once, stored');
    const bob = connect(instance, 'early', 'write:bob');
    await synced(bob);
    expect(bob.doc.getText('t').toString()).toBe('typed at once, stored');
  });

  it('applies a stored snapshot after admission for a new client, during the access check for one holding the document', async () => {
    /** Says the credential is genuine, then grants, each only when told to. */
    class SteppedAuthorizer extends MemoryAuthorizer {
      verify: () => void = () => undefined;
      grant: () => void = () => undefined;
      override async authorize(token: string | null, name: string, credentialVerified?: () => void) {
        await new Promise<void>((resolve) => (this.verify = resolve));
        credentialVerified?.();
        await new Promise<void>((resolve) => (this.grant = resolve));
        return super.authorize(token, name);
      }
    }
    const source = new Y.Doc();
    source.getText('t').insert(0, 'stored');
    const store = new MemoryStore();
    store.load = async () => ({ snapshot: Y.encodeStateAsUpdate(source), updates: [] });
    const authorizer = new SteppedAuthorizer();
    const instance = await start(store, [], authorizer);
    const applied: string[] = [];
    instance.server.watch({ watch: (name) => (applied.push(name), { close: () => undefined }) });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

    // Its first frame asks for everything: the snapshot waits, to be sent as it is.
    const fresh = connect(instance, 'fresh');
    await settle();
    authorizer.verify();
    await settle();
    expect(applied).toEqual([]);
    authorizer.grant();
    await synced(fresh);
    await eventually(() => expect(applied).toEqual(['fresh']));

    // A client with an offline copy: nothing to send from the stored bytes, applied meanwhile.
    const returning = new TestClient(
      new WebSocket(`${instance.baseUrl}/collab/returning?token=${encodeURIComponent('write:alice')}`),
    );
    clients.push(returning);
    returning.doc.getText('t').insert(0, 'offline ');
    returning.ws.on('open', () => returning.send(encodeSyncStep1(Y.encodeStateVector(returning.doc))));
    await settle();
    authorizer.verify();
    await eventually(() => expect(applied).toEqual(['fresh', 'returning']));
    expect(returning.synced).toBe(false);
    authorizer.grant();
    await synced(returning);
    await eventually(() => expect(returning.doc.getText('t').toString()).toContain('stored'));
  });

  it('syncs two clients both ways, a late joiner getting what came before it', async () => {
    const instance = await start();
    const alice = connect(instance, 'notes');
    await synced(alice);
    alice.doc.getText('t').insert(0, 'before');

    const bob = connect(instance, 'notes', 'write:bob');
    await eventually(() => expect(bob.doc.getText('t').toString()).toBe('before'));
    bob.doc.getMap('m').set('from', 'bob');
    alice.doc.getMap('m').set('also', 'alice');
    await eventually(() => {
      expect(alice.doc.getMap('m').toJSON()).toEqual({ from: 'bob', also: 'alice' });
      expect(bob.doc.getMap('m').toJSON()).toEqual({ from: 'bob', also: 'alice' });
    });
  });

  it('stores an update before anyone else gets it, then acknowledges it to its sender as durable', async () => {
    const store = new MemoryStore();
    const instance = await start(store);
    const alice = connect(instance, 'durable');
    const bob = connect(instance, 'durable', 'write:bob');
    await synced(alice, bob);

    // Alice's first sync step 2 carried nothing, which was acknowledged at once.
    const acknowledged = alice.acknowledgements.length;
    store.hold();
    alice.doc.getText('t').insert(0, 'kept');
    await eventually(() => expect(store.appendsStarted).toBe(1));
    await Promise.all([alice.roundTrip(), bob.roundTrip()]);
    expect(bob.updatesReceived).toBe(0);
    expect(bob.doc.getText('t').toString()).toBe('');
    expect(alice.acknowledgements).toHaveLength(acknowledged);

    store.release();
    await eventually(() => expect(bob.doc.getText('t').toString()).toBe('kept'));
    await eventually(() =>
      expect(alice.acknowledgements.at(-1)?.get(alice.doc.clientID)).toBe(
        Y.getState(alice.doc.store, alice.doc.clientID),
      ),
    );
    const [stored] = store.logOf('durable');
    expect(store.logOf('durable')).toHaveLength(1);
    expect(stored?.author).toEqual({
      kind: 'user',
      userId: 'alice',
      apiTokenId: null,
      name: 'User alice',
      role: 'writer',
    });
  });

  it('broadcasts to the sockets of the update’s room only', async () => {
    const instance = await start();
    const writer = connect(instance, 'one');
    const sameRoom = connect(instance, 'one', 'write:bob');
    const otherRoom = connect(instance, 'two', 'write:carol');
    await synced(writer, sameRoom, otherRoom);
    expect(instance.server.stats).toEqual({ rooms: 2, connections: 3 });

    writer.doc.getText('t').insert(0, 'for room one');
    await eventually(() => expect(sameRoom.doc.getText('t').toString()).toBe('for room one'));
    await otherRoom.roundTrip();
    expect(sameRoom.updatesReceived).toBe(1);
    expect(otherRoom.updatesReceived).toBe(0);
    expect(otherRoom.doc.getText('t').toString()).toBe('');
  });

  it('shares presence as the server vouches for it, and removes it when its socket leaves', async () => {
    const instance = await start();
    const alice = connect(instance, 'presence');
    const bob = connect(instance, 'presence', 'write:bob');
    const carol = connect(instance, 'presence', 'write:carol');
    await synced(alice, bob, carol);

    alice.announce({ user: { id: 'bob', name: 'Not Alice' }, cursor: 3 });
    await eventually(() =>
      expect(bob.awareness.getStates().get(alice.doc.clientID)).toEqual({
        user: { id: 'alice', name: 'User alice', color: '#123456' },
        cursor: 3,
      }),
    );
    // Bob may not speak for Alice's client id, even with a later clock.
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = alice.doc.clientID;
    for (let cursor = 90; cursor < 100; cursor += 1) forged.setLocalState({ cursor });
    bob.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(forged, [alice.doc.clientID])));
    forged.destroy();
    await bob.roundTrip();
    await carol.roundTrip();
    expect(carol.awareness.getStates().get(alice.doc.clientID)).toMatchObject({ cursor: 3 });

    alice.ws.close();
    await eventually(() => {
      expect(bob.awareness.getStates().has(alice.doc.clientID)).toBe(false);
      expect(carol.awareness.getStates().has(alice.doc.clientID)).toBe(false);
    });
  });

  it('replicates updates and presence to another instance through the fan-out, storing each update once', async () => {
    const store = new MemoryStore();
    const peers: MemoryFanout[] = [];
    const first = await start(store, peers);
    const second = await start(store, peers);
    const alice = connect(first, 'shared');
    const bob = connect(second, 'shared', 'write:bob');
    await synced(alice, bob);

    alice.doc.getText('t').insert(0, 'across');
    await eventually(() => expect(bob.doc.getText('t').toString()).toBe('across'));
    bob.announce({ cursor: 1 });
    await eventually(() => expect(alice.awareness.getStates().get(bob.doc.clientID)).toMatchObject({ cursor: 1 }));
    expect(store.logOf('shared')).toHaveLength(1);
  });

  it('lets a read-only socket follow the document but drops what it writes', async () => {
    const store = new MemoryStore();
    const instance = await start(store);
    const reader = connect(instance, 'read-only', 'read:rita');
    const writer = connect(instance, 'read-only', 'write:bob');
    await synced(reader, writer);

    reader.doc.getText('t').insert(0, 'not allowed');
    await Promise.all([reader.roundTrip(), writer.roundTrip()]);
    expect(store.logOf('read-only')).toEqual([]);
    expect(writer.doc.getText('t').toString()).toBe('');
    expect(reader.ws.readyState).toBe(WebSocket.OPEN);

    writer.doc.getMap('m').set('seen', true);
    await eventually(() => expect(reader.doc.getMap('m').get('seen')).toBe(true));
  });

  it('closes sockets the authorizer refuses with its code, and paths that name no document with 4404', async () => {
    const authorizer = new MemoryAuthorizer();
    const instance = await start(new MemoryStore(), [], authorizer);
    const closeOf = (path: string, token = 'write:alice') => {
      const client = TestClient.open(instance.baseUrl, path, token);
      clients.push(client);
      return client.closed;
    };
    expect(await closeOf('/collab/secret', 'nobody')).toEqual({ code: CollabCloseCode.Forbidden, reason: 'not yours' });
    expect(await closeOf('/collab/missing-one')).toEqual({
      code: CollabCloseCode.UnknownDocument,
      reason: 'no such thing',
    });
    for (const path of ['/collab/', '/collab/a/b', `/collab/${'x'.repeat(129)}`, '/collab/%2E%2Fup'])
      expect({ path, ...(await closeOf(path)) }).toEqual({
        path,
        code: CollabCloseCode.UnknownDocument,
        reason: 'unknown document',
      });
    expect(authorizer.asked).toEqual(['secret', 'missing-one']);
    expect(instance.server.stats).toEqual({ rooms: 0, connections: 0 });
  });

  it('unloads a room once its last socket has left and nothing else holds it', async () => {
    const instance = await start();
    const unloaded: string[] = [];
    instance.server.onUnloaded((name) => unloaded.push(name));
    const first = connect(instance, 'idle');
    const second = connect(instance, 'idle', 'write:bob');
    await synced(first, second);
    expect(instance.server.isLoaded('idle')).toBe(true);
    expect(instance.fanout.handlers.has('idle')).toBe(true);

    first.ws.close();
    await first.closed;
    await second.roundTrip();
    expect(instance.server.isLoaded('idle')).toBe(true);
    second.ws.close();
    await eventually(() => expect(instance.server.isLoaded('idle')).toBe(false));
    expect(unloaded).toEqual(['idle']);
    expect(instance.fanout.handlers.has('idle')).toBe(false);

    expect(await instance.server.inspect('idle', (doc) => doc.getText('t').toString())).toBe('');
    expect(instance.server.isLoaded('idle')).toBe(false);
    expect(unloaded).toEqual(['idle', 'idle']);
  });

  it('applies a server change through the same path as an editor’s: stored as its author, sent, reported', async () => {
    const store = new MemoryStore();
    const instance = await start(store);
    const origins: unknown[] = [];
    instance.server.watch({
      watch: (_name, doc) => {
        const record = (transaction: Y.Transaction) => origins.push(transaction.origin);
        doc.on('afterTransaction', record);
        return { close: () => doc.off('afterTransaction', record) };
      },
    });
    const stored: string[] = [];
    instance.server.onStored((name) => stored.push(name));
    const editor = connect(instance, 'served');
    await synced(editor);
    const author: ChangeAuthor = { kind: 'system', userId: null, apiTokenId: null, name: 'Server', role: null };

    const result = await instance.server.applyServerChange('served', author, (doc) => {
      doc.getMap('m').set('by', 'server');
      return 42;
    });
    expect(result).toBe(42);
    expect(store.logOf('served').map((entry) => entry.author)).toEqual([author]);
    expect(stored).toEqual(['served']);
    await eventually(() => expect(editor.doc.getMap('m').get('by')).toBe('server'));
    const changes = origins.filter((origin): origin is ChangeOrigin => origin instanceof ChangeOrigin);
    expect(changes.map(({ author: by, viaSocket, updateId }) => ({ by, viaSocket, updateId }))).toEqual([
      { by: author, viaSocket: false, updateId: expect.any(Number) },
    ]);

    // A change that changes nothing stores nothing.
    await instance.server.applyServerChange('served', author, (doc) => doc.transact(() => undefined));
    expect(store.logOf('served')).toHaveLength(1);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, await instance.server.snapshot('served'));
    expect(copy.getMap('m').toJSON()).toEqual({ by: 'server' });
  });
});
