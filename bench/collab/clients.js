// Stock clients for each server: y-websocket's WebsocketProvider (raw relay, @y/websocket-server,
// Bascule) and Hocuspocus's own provider. Node has no global WebSocket before 22: `ws` is given.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

// Each y-websocket provider adds an `exit` listener to this process; a scenario opens hundreds.
process.setMaxListeners(0);

/** Opens a client on `room`; resolves once its socket is open (and synced where a server answers). */
export async function openClient(target, room) {
  const doc = new Y.Doc();
  if (target.kind === 'hocuspocus') {
    const websocketProvider = new HocuspocusProviderWebsocket({ url: target.url, WebSocketPolyfill: WebSocket });
    const provider = new HocuspocusProvider({ name: room, document: doc, websocketProvider });
    provider.attach?.();
    await waitFor(() => provider.isSynced, 30_000);
    return {
      doc,
      close: () => {
        provider.destroy();
        websocketProvider.destroy();
        doc.destroy();
      },
    };
  }
  const provider = new WebsocketProvider(target.url, room, doc, {
    params: target.token === undefined ? {} : { token: target.token },
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    resyncInterval: -1,
  });
  // A relay has no copy of its own: nobody answers the first client's sync, so "open" is enough there.
  await waitFor(() => (target.kind === 'raw' ? provider.wsconnected : provider.synced), 30_000);
  return {
    doc,
    provider,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a client');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
