import { createServer, type Server, Socket } from 'node:net';

/**
 * A TCP relay for resilience tests: it forwards each connection to the first of its targets that
 * accepts (so that, the first one dead, clients reconnect to the next), and can be cut and
 * restored (a database or a proxy going away) without touching the services the suite shares.
 */
export class Relay {
  private readonly sockets = new Set<Socket>();
  private down = false;
  private readonly server: Server;

  constructor(private readonly targets: readonly { host: string; port: number }[]) {
    this.server = createServer((inbound) => {
      if (this.down) return void inbound.destroy();
      this.track(inbound);
      inbound.pause();
      this.connect(0, inbound);
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  }

  private connect(index: number, inbound: Socket): void {
    const target = this.targets[index];
    if (target === undefined || inbound.destroyed) return void inbound.destroy();
    const outbound = new Socket();
    let connected = false;
    outbound.once('error', () => {
      if (!connected) this.connect(index + 1, inbound);
    });
    outbound.connect(target.port, target.host, () => {
      connected = true;
      this.track(outbound);
      inbound.pipe(outbound).pipe(inbound);
      inbound.resume();
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  /** Every connection dropped, new ones refused. */
  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
