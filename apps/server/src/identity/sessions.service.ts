import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { MembershipEntity, RefreshTokenEntity, SessionEntity } from './entities.js';
import { AccessEvents } from '../events/access-events.js';
import { generateSecret, isWellFormedSecret, SecretHasher } from './secret-tokens.js';

const DAY_MS = 86_400_000;
/** A session unused this long ends; one never ends later than SESSION_MAX_DAYS after sign-in. */
export const SESSION_IDLE_DAYS = 14;
export const SESSION_MAX_DAYS = 30;

export interface ClientInfo {
  readonly ip: string | null;
  readonly userAgent: string | null;
}

export interface SessionGrant {
  readonly session: SessionEntity;
  readonly refreshToken: string;
}

const INVALID_REFRESH = 'The refresh token is invalid, expired or revoked: sign in again.';

/**
 * Sessions and their rotating refresh tokens. Each refresh spends the presented token and hands out
 * the next; a spent token presented again means it was copied, so the whole session is revoked.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly hasher: SecretHasher,
    private readonly events: AuthEventsService,
    private readonly accessEvents: AccessEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Opens a session inside the caller's transaction. */
  async start(
    manager: EntityManager,
    userId: string,
    organizationId: string | null,
    client: ClientInfo,
  ): Promise<SessionGrant> {
    const now = this.clock.now();
    const session = manager.create(SessionEntity, {
      id: randomUUID(),
      userId,
      organizationId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + SESSION_IDLE_DAYS * DAY_MS),
      revokedAt: null,
      revokeReason: null,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip?.slice(0, 64) ?? null,
    });
    await manager.insert(SessionEntity, session);
    return { session, refreshToken: await this.issueRefreshToken(manager, session.id, now) };
  }

  /**
   * Spends a refresh token and returns the session with its next one, optionally moving the
   * session to another organization (the caller checks membership first).
   */
  async rotate(refreshToken: string, client: ClientInfo, organizationId?: string): Promise<SessionGrant> {
    if (!isWellFormedSecret('refreshToken', refreshToken)) throw new AppError('UNAUTHENTICATED', INVALID_REFRESH);
    const tokenHash = this.hasher.hash(refreshToken);
    const outcome = await this.transactor.run(async (manager) => {
      const now = this.clock.now();
      const token = await manager.findOneBy(RefreshTokenEntity, { tokenHash });
      if (token === null) return { kind: 'invalid' as const };
      const session = await manager.findOneBy(SessionEntity, { id: token.sessionId });
      if (session === null || session.revokedAt !== null || session.expiresAt <= now)
        return { kind: 'invalid' as const };
      if (
        organizationId !== undefined &&
        (await manager.findOneBy(MembershipEntity, { organizationId, userId: session.userId })) === null
      ) {
        return { kind: 'forbidden' as const };
      }
      const spent = await manager.update(RefreshTokenEntity, { tokenHash, usedAt: IsNull() }, { usedAt: now });
      if (spent.affected !== 1) {
        await this.revokeWith(manager, session, 'refresh_reuse');
        await this.events.record(
          'REFRESH_REUSE_DETECTED',
          {
            userId: session.userId,
            organizationId: session.organizationId,
            ip: client.ip,
            details: { sessionId: session.id },
          },
          manager,
        );
        return { kind: 'reuse' as const, sessionId: session.id };
      }
      const maxExpiry = session.createdAt.getTime() + SESSION_MAX_DAYS * DAY_MS;
      session.lastUsedAt = now;
      session.expiresAt = new Date(Math.min(maxExpiry, now.getTime() + SESSION_IDLE_DAYS * DAY_MS));
      if (organizationId !== undefined) session.organizationId = organizationId;
      if (client.ip !== null) session.ip = client.ip.slice(0, 64);
      await manager.update(
        SessionEntity,
        { id: session.id },
        {
          lastUsedAt: session.lastUsedAt,
          expiresAt: session.expiresAt,
          organizationId: session.organizationId,
          ip: session.ip,
        },
      );
      return {
        kind: 'rotated' as const,
        grant: { session, refreshToken: await this.issueRefreshToken(manager, session.id, now) },
      };
    });
    if (outcome.kind === 'rotated') return outcome.grant;
    if (outcome.kind === 'reuse') this.accessEvents.publish({ kind: 'session', sessionId: outcome.sessionId });
    if (outcome.kind === 'forbidden') throw new AppError('FORBIDDEN', 'You are not a member of that organization.');
    throw new AppError('UNAUTHENTICATED', INVALID_REFRESH);
  }

  /** The session if it is still open, for access tokens that name it. */
  async findActive(sessionId: string): Promise<SessionEntity | null> {
    const session = await this.dataSource.getRepository(SessionEntity).findOneBy({ id: sessionId });
    if (session === null || session.revokedAt !== null || session.expiresAt <= this.clock.now()) return null;
    return session;
  }

  async listActive(userId: string): Promise<SessionEntity[]> {
    const now = this.clock.now();
    const sessions = await this.dataSource.getRepository(SessionEntity).find({
      where: { userId, revokedAt: IsNull() },
      order: { lastUsedAt: 'DESC' },
    });
    return sessions.filter((session) => session.expiresAt > now);
  }

  /** Ends one of the user's sessions; NOT_FOUND for anyone else's. */
  async revokeOwn(userId: string, sessionId: string, reason: string): Promise<SessionEntity> {
    const result = await this.transactor.run(async (manager) => {
      const session = await manager.findOneBy(SessionEntity, { id: sessionId, userId });
      if (session === null) throw new AppError('NOT_FOUND', 'No such session.');
      if (session.revokedAt === null) await this.revokeWith(manager, session, reason);
      return session;
    });
    this.accessEvents.publish({ kind: 'session', sessionId });
    return result;
  }

  /** Ends every open session of a user (password reset, account takeover defence). */
  async revokeAllOfUser(manager: EntityManager, userId: string, reason: string): Promise<void> {
    await manager.update(
      SessionEntity,
      { userId, revokedAt: IsNull() },
      { revokedAt: this.clock.now(), revokeReason: reason },
    );
  }

  private async revokeWith(manager: EntityManager, session: SessionEntity, reason: string): Promise<void> {
    session.revokedAt = this.clock.now();
    session.revokeReason = reason;
    await manager.update(SessionEntity, { id: session.id }, { revokedAt: session.revokedAt, revokeReason: reason });
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string, now: Date): Promise<string> {
    const refreshToken = generateSecret('refreshToken');
    await manager.insert(RefreshTokenEntity, {
      tokenHash: this.hasher.hash(refreshToken),
      sessionId,
      createdAt: now,
      usedAt: null,
    });
    return refreshToken;
  }
}
