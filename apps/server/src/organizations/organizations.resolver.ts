import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Language } from '@bascule/plan-model';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { RequestLanguage } from '../access/request-language.decorator.js';
import { Allow } from '../access/permissions.js';
import { PageArgs, pageOf } from '../common/page.args.js';
import { InvitationsService } from '../identity/invitations.service.js';
import {
  InviteMemberInput,
  InviteMemberPayload,
  MemberModel,
  OrganizationModel,
  OrgRoleModel,
} from '../identity/models/identity.models.js';
import { toInvitation, toOrganization, toRole, toUser } from '../identity/models/mappers.js';
import { LanguageEnum } from '../common/document-enum.js';
import { type Member, OrganizationsService } from './organizations.service.js';

const toMember = ({ user, membership }: Member): MemberModel => ({
  user: toUser(user),
  role: toRole(membership.role),
  joinedAt: membership.createdAt,
});

/** The current organization (the session's or the API token's) and its members. */
@Resolver()
export class OrganizationsResolver {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly invitations: InvitationsService,
    private readonly access: AccessService,
  ) {}

  @Allow('organization.read')
  @Query(() => OrganizationModel, { description: 'The organization this session or token acts in.' })
  async organization(@CurrentAuth() auth: AuthContext): Promise<OrganizationModel> {
    return toOrganization(await this.organizations.get(this.access.requireOrgRole(auth, 'MEMBER')));
  }

  @Allow('organization.read')
  @Query(() => [MemberModel], { description: 'Members of the current organization, oldest first.' })
  async members(@CurrentAuth() auth: AuthContext, @Args() page: PageArgs): Promise<MemberModel[]> {
    const organizationId = this.access.requireOrgRole(auth, 'MEMBER');
    const members = await this.organizations.members(organizationId, pageOf(page));
    return members.map(toMember);
  }

  @Allow('members.manage')
  @Mutation(() => InviteMemberPayload, {
    description: 'Invites someone by email: e-mails them the link when this server sends e-mail, and returns it.',
  })
  async inviteMember(
    @CurrentAuth() auth: AuthContext,
    @Args('input') input: InviteMemberInput,
    @Args('language', {
      type: () => LanguageEnum,
      nullable: true,
      description: 'The language of the invitation e-mail; by default the request’s Accept-Language.',
    })
    language: Language | null,
    @RequestLanguage() requestLanguage: Language,
  ): Promise<InviteMemberPayload> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    const issued = await this.invitations.invite(
      auth,
      organizationId,
      input.email,
      input.role,
      language ?? requestLanguage,
    );
    return {
      invitation: toInvitation(issued.invitation),
      acceptUrl: issued.acceptUrl,
      token: issued.token,
      emailed: issued.emailed,
    };
  }

  @Allow('members.manage')
  @Mutation(() => MemberModel)
  async changeMemberRole(
    @CurrentAuth() auth: AuthContext,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => OrgRoleModel }) role: OrgRoleModel,
  ): Promise<MemberModel> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    return toMember(await this.organizations.changeRole(auth, organizationId, userId, role));
  }

  @Allow('members.manage')
  @Mutation(() => MemberModel, {
    description: 'Removes a member; their sessions and API tokens lose this organization at once.',
  })
  async removeMember(
    @CurrentAuth() auth: AuthContext,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<MemberModel> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    return toMember(await this.organizations.remove(auth, organizationId, userId));
  }
}
