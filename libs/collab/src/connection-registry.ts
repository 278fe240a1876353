import type { Connection } from './connection.js';
import type { CollabAuthorizer, CollabGrant, CollabLogger } from './ports.js';

/** Sockets whose access is checked again together before the event loop gets a turn. */
const RECHECK_BATCH = 16;

/**
 * Every socket this instance has admitted, whatever its document: the instance-wide view that the
 * per-user limit, access re-checks and shutdown need (rooms hold their own sockets for the rest).
 */
export class ConnectionRegistry {
  private readonly all = new Set<Connection>();
  private readonly perUser = new Map<string, number>();

  constructor(
    private readonly authorizer: CollabAuthorizer,
    private readonly logger: CollabLogger,
    private readonly connectionsPerUser: number,
  ) {}

  get size(): number {
    return this.all.size;
  }

  /** Whether the user has as many sockets open here as one may. */
  isFull(userId: string): boolean {
    return (this.perUser.get(userId) ?? 0) >= this.connectionsPerUser;
  }

  add(connection: Connection): void {
    this.all.add(connection);
    const userId = connection.grant.identity.userId;
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);
  }

  /** Drops a socket that is gone; false if it was dropped already. */
  forget(connection: Connection): boolean {
    if (!this.all.delete(connection)) return false;
    connection.disarm();
    const userId = connection.grant.identity.userId;
    const count = (this.perUser.get(userId) ?? 1) - 1;
    if (count <= 0) this.perUser.delete(userId);
    else this.perUser.set(userId, count);
    return true;
  }

  closeAll(code: number, reason: string): void {
    for (const connection of this.all) connection.close(code, reason);
  }

  /**
   * Checks again the sockets that a change of access may concern: each is closed (4401, 4403,
   * 4404) or switched between read-write and read-only, as its credential now allows.
   */
  async recheck(matches: (connection: { documentName: string; grant: CollabGrant }) => boolean): Promise<void> {
    const concerned = [...this.all].filter((connection) => matches(connection));
    // A few at a time, letting sockets be served in between: a crowded room (or the periodic sweep
    // of every socket) is hundreds of authorisations, and database reads may not yield on their own.
    for (let start = 0; start < concerned.length; start += RECHECK_BATCH) {
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      await this.recheckEach(concerned.slice(start, start + RECHECK_BATCH));
    }
  }

  private async recheckEach(connections: readonly Connection[]): Promise<void> {
    await Promise.all(
      connections.map(async (connection) => {
        const authorization = await this.authorizer.authorize(connection.token, connection.documentName);
        if ('refused' in authorization) {
          this.logger.info(
            {
              document: connection.documentName,
              userId: connection.grant.identity.userId,
              code: authorization.refused,
            },
            'collab access withdrawn',
          );
          connection.close(authorization.refused, authorization.reason.slice(0, 120));
        } else {
          connection.regrant(authorization.granted);
        }
      }),
    );
  }
}
