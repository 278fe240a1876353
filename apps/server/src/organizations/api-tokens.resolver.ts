import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { DataSource, In } from 'typeorm';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { requireText } from '../common/validation.js';
import { ApiTokensService } from '../identity/api-tokens.service.js';
import { type ApiTokenEntity, UserEntity } from '../identity/entities.js';
import { type ApiTokenScope } from '../access/roles.js';
import {
  ApiTokenModel,
  ApiTokenScopeModel,
  CreateApiTokenInput,
  CreateApiTokenPayload,
} from '../identity/models/identity.models.js';
import { toApiToken } from '../identity/models/mappers.js';

/** API tokens of the current organization, managed by its owners and admins. */
@Resolver()
export class ApiTokensResolver {
  constructor(
    private readonly tokens: ApiTokensService,
    private readonly access: AccessService,
    private readonly dataSource: DataSource,
  ) {}

  @Allow('apiTokens.manage')
  @Query(() => [ApiTokenModel], {
    description: 'Every API token of the organization, newest first, secrets never included.',
  })
  async apiTokens(@CurrentAuth() auth: AuthContext): Promise<ApiTokenModel[]> {
    return this.withCreators(await this.tokens.list(this.access.requireOrgRole(auth, 'ADMIN')));
  }

  @Allow('apiTokens.manage')
  @Mutation(() => CreateApiTokenPayload)
  async createApiToken(
    @CurrentAuth() auth: AuthContext,
    @Args('input') input: CreateApiTokenInput,
  ): Promise<CreateApiTokenPayload> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    const scopes = input.scopes.map((scope): ApiTokenScope => (scope === ApiTokenScopeModel.WRITE ? 'write' : 'read'));
    const created = await this.tokens.create(auth, organizationId, {
      name: requireText(input.name, 'name', 80),
      scopes,
      expiresAt: input.expiresAt ?? null,
    });
    return { apiToken: await this.withCreator(created.token), secret: created.secret };
  }

  @Allow('apiTokens.manage')
  @Mutation(() => ApiTokenModel, { description: 'Revokes a token: it stops working on the next request.' })
  async revokeApiToken(
    @CurrentAuth() auth: AuthContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ApiTokenModel> {
    return this.withCreator(await this.tokens.revoke(auth, this.access.requireOrgRole(auth, 'ADMIN'), id));
  }

  private async withCreator(token: ApiTokenEntity): Promise<ApiTokenModel> {
    return toApiToken(token, await this.dataSource.getRepository(UserEntity).findOneBy({ id: token.createdBy }));
  }

  private async withCreators(tokens: ApiTokenEntity[]): Promise<ApiTokenModel[]> {
    const ids = [...new Set(tokens.map((token) => token.createdBy))];
    const users = ids.length === 0 ? [] : await this.dataSource.getRepository(UserEntity).findBy({ id: In(ids) });
    const byId = new Map(users.map((user) => [user.id, user]));
    return tokens.map((token) => toApiToken(token, byId.get(token.createdBy) ?? null));
  }
}
