import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { ApiTokensResolver } from './api-tokens.resolver.js';
import { OrganizationsResolver } from './organizations.resolver.js';

/** The GraphQL face of the current organization: members, invitations, API tokens. */
@Module({ imports: [IdentityModule], providers: [OrganizationsResolver, ApiTokensResolver] })
export class OrganizationsModule {}
