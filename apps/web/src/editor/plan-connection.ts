import { AUTH_DURABLE, AUTH_PERMISSION_DENIED, CollabCloseCode, MessageType, SyncStep } from '@bascule/collab-protocol';
import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { Session } from '../api/client';
import { localDatabaseOf, readDurable, writeDurable } from './local-plans';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'denied' | 'missing';
export type SaveState = 'saved' | 'saving' | 'unsaved-offline';

export interface ConnectionStatus {
  readonly connection: ConnectionState;
  readonly save: SaveState;
  /** The server refused this socket's writes (a viewer, or a read-only token). */
  readonly closeCode: number | null;
}

/**
 * A plan's live document: kept on this device (IndexedDB, so edits made offline survive a reload),
 * synced with the server over the collab socket, and "Saved" only when what the server is known to
 * have stored covers everything in the document: every client's changes, this tab's and those of
 * earlier sessions on this device alike. The server is known to hold what its state vector says at
 * sync, what each durable acknowledgement says, and whatever it sends (it stores before it sends).
 * That knowledge is kept on this device too, so an offline reload tells saved from unsaved.
 */
export class PlanConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  private readonly local: IndexeddbPersistence;
  /** Per Yjs client, the clock up to which the server is known to have stored changes. */
  private readonly durable: Map<number, number>;
  private status: ConnectionStatus = { connection: 'connecting', save: 'saved', closeCode: null };
  private readonly listeners = new Set<(status: ConnectionStatus) => void>();
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    readonly planId: string,
    private readonly session: Session,
  ) {
    this.local = new IndexeddbPersistence(localDatabaseOf(planId), this.doc);
    this.durable = readDurable(planId);
    const base = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/collab`;
    // Tabs of one browser talk through the server only: an update from another tab (over the
    // BroadcastChannel y-websocket would otherwise open) looks like the server's, yet may be unsaved.
    this.provider = new WebsocketProvider(base, planId, this.doc, { connect: false, params: {}, disableBc: true });
    this.listenForAcknowledgements();
    // A fresh awareness state has clock 0, which y-protocols peers ignore until its 15 s renewal:
    // one change now, and the others see this person as soon as the socket opens.
    this.provider.awareness.setLocalStateField('editing', null);
    this.provider.on('status', ({ status }: { status: string }) => {
      if (status === 'connected') this.update({ connection: 'online', closeCode: null });
      else if (this.status.connection === 'online' || status === 'connecting')
        this.update({ connection: navigator.onLine ? 'connecting' : 'offline' });
    });
    this.provider.on('connection-close', (event: CloseEvent | null) => this.closed(event?.code ?? null));
    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin === this.provider) this.acknowledge(Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)));
      else this.refreshSaveState();
    };
    this.doc.on('update', onUpdate);
    this.cleanups.push(() => this.doc.off('update', onUpdate));
    // The browser knows first when the network goes: stop trying, keep editing locally, come back after.
    const offline = () => {
      this.provider.disconnect();
      this.update({ connection: 'offline' });
    };
    const online = () => void this.connect();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    this.cleanups.push(() => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
    });
    // A refreshed token: reconnect with it before the server closes the socket for the old one.
    this.cleanups.push(
      session.onChange((tokens) => {
        if (tokens === null || this.provider.params.token === undefined) return;
        this.provider.params = { token: tokens.accessToken };
        if (this.provider.wsconnected) {
          this.provider.disconnect();
          this.provider.connect();
        }
      }),
    );
    if (navigator.onLine) void this.connect();
    else this.update({ connection: 'offline' });
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  /** Resolves once the copy kept on this device is loaded (it may be empty). */
  whenLocalLoaded(): Promise<unknown> {
    return this.local.whenSynced;
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  destroy(): void {
    this.destroyed = true;
    for (const cleanup of this.cleanups) cleanup();
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private async connect(): Promise<void> {
    const token = await this.session.accessToken().catch(() => null);
    if (this.destroyed || token === null) return;
    this.provider.params = { token };
    this.update({ connection: 'connecting' });
    this.provider.connect();
  }

  private closed(code: number | null): void {
    switch (code) {
      case CollabCloseCode.Unauthenticated:
        // The token expired or was refused: refresh it and come back (signed out if that fails too).
        this.provider.disconnect();
        void this.session.refresh().then(
          async (tokens) => {
            if (tokens !== null) await this.connect();
          },
          () => this.update({ connection: 'offline' }),
        );
        return;
      case CollabCloseCode.Forbidden:
        this.provider.disconnect();
        this.update({ connection: 'denied', closeCode: code });
        return;
      case CollabCloseCode.UnknownDocument:
        this.provider.disconnect();
        this.update({ connection: 'missing', closeCode: code });
        return;
      default:
        // Anything else (a restart, 1001 going away, the network): y-websocket reconnects with backoff.
        this.update({ connection: navigator.onLine ? 'connecting' : 'offline', closeCode: code });
    }
  }

  /**
   * Reads what the server says is stored: its state vector when it syncs with us, and the durable
   * acknowledgement after each of our updates it stored. Stock handling of every message goes on.
   */
  private listenForAcknowledgements(): void {
    const handlers = this.provider.messageHandlers;
    const syncHandler = handlers[MessageType.Sync];
    handlers[MessageType.Sync] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === SyncStep.Step1)
        this.acknowledge(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
      syncHandler?.(encoder, decoder, provider, emitSynced, messageType);
    };
    handlers[MessageType.Auth] = (_encoder, decoder) => {
      const subType = decoding.readVarUint(decoder);
      if (subType === AUTH_DURABLE) this.acknowledge(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
      else if (subType === AUTH_PERMISSION_DENIED) this.update({ connection: 'denied' });
    };
  }

  private acknowledge(stored: Map<number, number>): void {
    let advanced = false;
    for (const [client, clock] of stored) {
      if (clock <= (this.durable.get(client) ?? 0)) continue;
      this.durable.set(client, clock);
      advanced = true;
    }
    if (advanced) writeDurable(this.planId, this.durable);
    this.refreshSaveState();
  }

  /** Whether the document holds a change the server is not known to have stored. */
  private hasUnsaved(): boolean {
    for (const client of this.doc.store.clients.keys())
      if (Y.getState(this.doc.store, client) > (this.durable.get(client) ?? 0)) return true;
    return false;
  }

  private refreshSaveState(): void {
    this.update({});
  }

  private update(patch: Partial<Omit<ConnectionStatus, 'save'>>): void {
    const connection = patch.connection ?? this.status.connection;
    const pending = this.hasUnsaved();
    const next: ConnectionStatus = {
      ...this.status,
      ...patch,
      save: !pending ? 'saved' : connection === 'online' ? 'saving' : 'unsaved-offline',
    };
    if (
      next.connection === this.status.connection &&
      next.save === this.status.save &&
      next.closeCode === this.status.closeCode
    )
      return;
    this.status = next;
    for (const listener of this.listeners) listener(next);
  }
}
