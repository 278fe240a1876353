import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

const corked = new Set<Duplex>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/**
 * Holds a socket's writes until the current tick's work is done, so that every frame sent to it in
 * that tick leaves in one system call. A group commit releases many updates in one tick, and a
 * broadcast sends each of them to every socket of the room: without this, a burst of k updates to n
 * sockets costs k × n writes, and the burst's last frame waits for all of them.
 *
 * ws has no public cork; its maintainers point to the socket underneath for this
 * (websockets/ws#1999). The socket is uncorked by `end()` if it closes first, and `uncork()` on a
 * socket that is not corked does nothing.
 */
export function batchWritesThisTick(ws: WebSocket): void {
  const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
  if (socket === undefined || socket === null || corked.has(socket)) return;
  socket.cork();
  corked.add(socket);
  // A tick queued from a promise continuation runs once every queued continuation has run.
  if (corked.size === 1) process.nextTick(uncorkAll);
}
