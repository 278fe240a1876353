import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { decodeDurable } from '@bascule/collab-protocol';
import { graphqlAs } from './identity.js';

/** A stock y-websocket client in Node, exactly as a third-party tool would use it. */
export interface CollabClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  /** Close events seen so far (code and reason). */
  readonly closes: { code: number; reason: string }[];
  destroy(): void;
}

export function connectClient(baseUrl: string, planId: string, token: string): CollabClient {
  const doc = new Y.Doc();
  const closes: { code: number; reason: string }[] = [];
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/collab`, planId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // In one Node process, clients would otherwise talk to each other directly, not through the server.
    disableBc: true,
  });
  provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (event !== null) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Polls until `check` passes (or throws its last failure after `timeoutMs`). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000, stepMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, stepMs));
    }
  }
}

export async function synced(client: CollabClient, timeoutMs = 5000): Promise<void> {
  await eventually(() => {
    if (!client.provider.synced) throw new Error('not synced yet');
  }, timeoutMs);
}

export async function createPlan(
  baseUrl: string,
  token: string,
  title = 'Plan',
  defaultMemberRole: string | null = 'VIEWER',
): Promise<string> {
  const response = await graphqlAs<{ createPlan: { id: string } }>(
    baseUrl,
    token,
    'mutation($t: String!, $r: PlanRole) { createPlan(input: { title: $t, defaultMemberRole: $r }) { id } }',
    { t: title, r: defaultMemberRole },
  );
  if (response.data === undefined || response.data === null)
    throw new Error(`createPlan failed: ${JSON.stringify(response.errors)}`);
  return response.data.createPlan.id;
}

/** A raw WebSocket on a plan, for what stock clients never send. Resolves once open (or closed). */
export async function rawSocket(
  baseUrl: string,
  planId: string,
  token: string,
): Promise<{ ws: WebSocket; messages: Buffer[]; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/collab/${planId}?token=${encodeURIComponent(token)}`);
  const messages: Buffer[] = [];
  ws.on('message', (data: Buffer) => messages.push(data));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('error', () => undefined);
  await new Promise<void>((resolve) => {
    ws.once('open', () => resolve());
    ws.once('close', () => resolve());
  });
  return { ws, messages, closed };
}

/**
 * Follows the server's durable acknowledgements of a client's own updates (the message stock
 * clients ignore), across its reconnections: `acked` is the highest clock of its own known stored,
 * `clock()` its own clock now.
 */
export function followAcknowledgements(client: CollabClient): { acked: number; clock(): number } {
  const state = {
    acked: 0,
    clock: () => Y.getState(client.doc.store, client.doc.clientID),
  };
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status !== 'connected') return;
    client.provider.ws?.addEventListener('message', (event: MessageEvent) => {
      const clock = decodeDurable(new Uint8Array(event.data as ArrayBuffer))?.get(client.doc.clientID);
      if (clock !== undefined && clock > state.acked) state.acked = clock;
    });
  });
  return state;
}
