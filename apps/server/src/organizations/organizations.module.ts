import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module.js';
import { AccountResolver } from './account.resolver.js';
import { ApiTokensResolver } from './api-tokens.resolver.js';
import { OrganizationsResolver } from './organizations.resolver.js';
import { OrganizationsService } from './organizations.service.js';

/** The GraphQL face of the caller and their organizations: the account, members, invitations, API tokens. */
@Module({
  imports: [IdentityModule],
  providers: [OrganizationsService, AccountResolver, OrganizationsResolver, ApiTokensResolver],
})
export class OrganizationsModule {}
