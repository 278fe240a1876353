// One peer server for the benchmark, on PORT: `raw` (a ws relay, the physical limit), `ywss`
// (@y/websocket-server, the reference; keeps documents in memory) or `hocuspocus` (@hocuspocus/server,
// no persistence extension). Run pinned to a core by run.js.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const kind = process.argv[2];
const port = Number(process.env.PORT);

async function start() {
  if (kind === 'hocuspocus') {
    const { Server } = await import('@hocuspocus/server');
    const server = new Server({ port, address: '127.0.0.1', quiet: true });
    await server.listen();
    return;
  }
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = http.createServer((_request, response) => response.end('ok'));
  if (kind === 'ywss') {
    const { setupWSConnection } = await import('@y/websocket-server/utils');
    wss.on('connection', (ws, request) => setupWSConnection(ws, request));
  } else if (kind === 'raw') {
    // Every frame to every other socket of the same path: no decoding, no storage.
    const rooms = new Map();
    wss.on('connection', (ws, request) => {
      const room = (request.url ?? '/').split('?')[0];
      if (!rooms.has(room)) rooms.set(room, new Set());
      const peers = rooms.get(room);
      peers.add(ws);
      ws.on('message', (data, isBinary) => {
        for (const peer of peers)
          if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
      });
      ws.on('close', () => peers.delete(ws));
    });
  } else {
    throw new Error(`unknown peer server ${kind}`);
  }
  server.on('upgrade', (request, socket, head) =>
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request)),
  );
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

start().then(
  () => process.stdout.write(`listening ${port}\n`),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);

// A clean exit on SIGTERM, so that a CPU profile (BENCH_PROFILE) is written.
process.on('SIGTERM', () => process.exit(0));
