import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import type { Language } from '@bascule/plan-model';
import { AppError } from '../common/errors.js';
import { LanguageEnum } from '../common/document-enum.js';
import { OrganizationsService } from './organizations.service.js';
import { AccountsService } from '../identity/accounts.service.js';
import { InvitationsService } from '../identity/invitations.service.js';
import { OrganizationMembershipModel, SessionModel, ViewerModel } from '../identity/models/identity.models.js';
import { toOrganization, toRole, toScopes, toSession, toUser } from '../identity/models/mappers.js';
import { SessionsService } from '../identity/sessions.service.js';

@Resolver()
export class AccountResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly organizations: OrganizationsService,
    private readonly sessionsService: SessionsService,
    private readonly invitations: InvitationsService,
  ) {}

  @Allow('account.read')
  @Query(() => ViewerModel, { description: 'Who is calling, in which organization, with which role.' })
  async me(@CurrentAuth() auth: AuthContext): Promise<ViewerModel> {
    const user = await this.accounts.findUser(auth.userId);
    if (user === null) throw new AppError('UNAUTHENTICATED', 'This account no longer exists.');
    const memberships = auth.principal === 'user' ? await this.organizations.organizationsOf(auth.userId) : [];
    const current =
      auth.organizationId === null || auth.orgRole === null ? null : await this.organizations.get(auth.organizationId);
    return {
      user: toUser(user),
      organization: current === null ? null : toOrganization(current),
      role: current === null || auth.orgRole === null ? null : toRole(auth.orgRole),
      organizations:
        auth.principal === 'user'
          ? memberships.map(({ organization, role }) => ({
              organization: toOrganization(organization),
              role: toRole(role),
            }))
          : current === null || auth.orgRole === null
            ? []
            : [{ organization: toOrganization(current), role: toRole(auth.orgRole) }],
      viaApiToken: auth.principal === 'apiToken',
      scopes: toScopes(auth.scopes),
      language: user.language,
    };
  }

  @Allow('account.manage')
  @Mutation(() => ViewerModel, { description: 'Chooses the language Bascule writes to you in (e-mails).' })
  async setLanguage(
    @CurrentAuth() auth: AuthContext,
    @Args('language', { type: () => LanguageEnum }) language: Language,
  ): Promise<ViewerModel> {
    await this.accounts.setLanguage(auth.userId, language);
    return this.me(auth);
  }

  @Allow('account.manage')
  @Query(() => [SessionModel], { description: 'Your open sessions, most recently used first.' })
  async sessions(@CurrentAuth() auth: AuthContext): Promise<SessionModel[]> {
    return (await this.sessionsService.listActive(auth.userId)).map((session) => toSession(session, auth));
  }

  @Allow('account.manage')
  @Mutation(() => SessionModel, { description: 'Ends one of your sessions: its tokens stop working at once.' })
  async revokeSession(
    @CurrentAuth() auth: AuthContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<SessionModel> {
    return toSession(await this.sessionsService.revokeOwn(auth.userId, id, 'revoked_by_user'), auth);
  }

  @Allow('account.manage')
  @Mutation(() => OrganizationMembershipModel, {
    description:
      'Joins the organization of an invitation sent to your email. Refresh with its organizationId to act in it.',
  })
  async acceptInvitation(
    @CurrentAuth() auth: AuthContext,
    @Args('token') token: string,
  ): Promise<OrganizationMembershipModel> {
    const membership = await this.invitations.accept(auth, token);
    return {
      organization: toOrganization(await this.organizations.get(membership.organizationId)),
      role: toRole(membership.role),
    };
  }
}
