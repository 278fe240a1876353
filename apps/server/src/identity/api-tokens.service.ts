import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { AuthContext } from '../access/auth-context.js';
import { AuthEventsService } from './auth-events.service.js';
import { AppError } from '../common/errors.js';
import { CLOCK, type Clock } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import { ApiTokenEntity, MembershipEntity } from './entities.js';
import { API_TOKEN_SCOPES, type ApiTokenScope } from '../access/roles.js';
import { AccessEvents } from '../events/access-events.js';
import { displayPrefix, generateSecret, isWellFormedSecret, SecretHasher } from './secret-tokens.js';

/** last_used_at is written at most this often per token: a busy integration must not write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const MAX_TOKENS_PER_ORGANIZATION = 200;

export interface CreatedApiToken {
  readonly token: ApiTokenEntity;
  /** The secret itself: returned once, at creation, and never stored. */
  readonly secret: string;
}

export function scopesOf(token: ApiTokenEntity): ApiTokenScope[] {
  return token.scopes
    .split(',')
    .filter((scope): scope is ApiTokenScope => (API_TOKEN_SCOPES as readonly string[]).includes(scope));
}

/** API tokens for external tools: they act for the member who made them, within their scopes. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly hasher: SecretHasher,
    private readonly events: AuthEventsService,
    private readonly accessEvents: AccessEvents,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    auth: AuthContext,
    organizationId: string,
    input: { name: string; scopes: readonly ApiTokenScope[]; expiresAt: Date | null },
  ): Promise<CreatedApiToken> {
    const now = this.clock.now();
    if (input.expiresAt !== null && input.expiresAt <= now)
      throw new AppError('BAD_USER_INPUT', 'The expiry date must be in the future.', { field: 'expiresAt' });
    const scopes = API_TOKEN_SCOPES.filter((scope) => input.scopes.includes(scope));
    if (scopes.length === 0)
      throw new AppError('BAD_USER_INPUT', 'Give the token at least one scope (read, write).', { field: 'scopes' });
    if (scopes.includes('write') && !scopes.includes('read')) scopes.unshift('read');
    const secret = generateSecret('apiToken');
    const token = await this.transactor.run(async (manager) => {
      const count = await manager.countBy(ApiTokenEntity, { organizationId });
      if (count >= MAX_TOKENS_PER_ORGANIZATION) {
        throw new AppError(
          'CONFLICT',
          `An organization holds at most ${MAX_TOKENS_PER_ORGANIZATION} API tokens: revoke unused ones first.`,
        );
      }
      const entity = manager.create(ApiTokenEntity, {
        id: randomUUID(),
        organizationId,
        createdBy: auth.userId,
        name: input.name,
        displayPrefix: displayPrefix(secret),
        tokenHash: this.hasher.hash(secret),
        scopes: scopes.join(','),
        createdAt: now,
        expiresAt: input.expiresAt,
        lastUsedAt: null,
        revokedAt: null,
      });
      await manager.insert(ApiTokenEntity, entity);
      await this.events.record(
        'API_TOKEN_CREATED',
        {
          userId: auth.userId,
          actorId: auth.userId,
          organizationId,
          details: { tokenId: entity.id, name: entity.name, scopes },
        },
        manager,
      );
      return entity;
    });
    return { token, secret };
  }

  async list(organizationId: string): Promise<ApiTokenEntity[]> {
    return this.dataSource
      .getRepository(ApiTokenEntity)
      .find({ where: { organizationId }, order: { createdAt: 'DESC' } });
  }

  /** Revokes a token of the organization; NOT_FOUND for any other organization's. Takes effect at once. */
  async revoke(auth: AuthContext, organizationId: string, tokenId: string): Promise<ApiTokenEntity> {
    const result = await this.transactor.run(async (manager) => {
      const token = await manager.findOneBy(ApiTokenEntity, { id: tokenId, organizationId });
      if (token === null) throw new AppError('NOT_FOUND', 'No such API token in this organization.');
      if (token.revokedAt === null) {
        token.revokedAt = this.clock.now();
        await manager.update(ApiTokenEntity, { id: token.id }, { revokedAt: token.revokedAt });
        await this.events.record(
          'API_TOKEN_REVOKED',
          {
            userId: token.createdBy,
            actorId: auth.userId,
            organizationId,
            details: { tokenId: token.id, name: token.name },
          },
          manager,
        );
      }
      return token;
    });
    this.accessEvents.publish({ kind: 'apiToken', tokenId });
    return result;
  }

  /** Revokes every live token a user made, in every organization. */
  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(ApiTokenEntity, { createdBy: userId, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  /** The caller an API token stands for, or undefined when it is not a live token of a current member. */
  async authenticate(secret: string): Promise<AuthContext | undefined> {
    if (!isWellFormedSecret('apiToken', secret)) return undefined;
    // The token and its maker's membership in one statement: one round trip on every request a tool makes.
    const {
      entities: [token],
      raw: [row],
    } = await this.dataSource
      .getRepository(ApiTokenEntity)
      .createQueryBuilder('token')
      .leftJoin(
        MembershipEntity,
        'membership',
        'membership.organizationId = token.organizationId AND membership.userId = token.createdBy',
      )
      .addSelect('membership.role', 'membership_role')
      .where('token.tokenHash = :hash', { hash: this.hasher.hash(secret) })
      .getRawAndEntities<{ membership_role: MembershipEntity['role'] | null }>();
    const now = this.clock.now();
    if (token === undefined || token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now))
      return undefined;
    const role = row?.membership_role ?? null;
    if (role === null) return undefined;
    if (token.lastUsedAt === null || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.dataSource.getRepository(ApiTokenEntity).update({ id: token.id }, { lastUsedAt: now });
    }
    return {
      principal: 'apiToken',
      userId: token.createdBy,
      organizationId: token.organizationId,
      orgRole: role,
      scopes: scopesOf(token),
      sessionId: null,
      apiTokenId: token.id,
      expiresAt: token.expiresAt,
    };
  }
}
