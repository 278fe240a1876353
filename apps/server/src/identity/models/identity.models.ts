import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Language } from '@bascule/plan-model';
import { LanguageEnum } from '../../common/document-enum.js';

export enum OrgRoleModel {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}
registerEnumType(OrgRoleModel, {
  name: 'OrgRole',
  description:
    'OWNER: everything, including owners. ADMIN: members, invitations, API tokens. MEMBER: the plans shared with them.',
});

export enum ApiTokenScopeModel {
  READ = 'read',
  WRITE = 'write',
}
registerEnumType(ApiTokenScopeModel, {
  name: 'ApiTokenScope',
  description: 'READ: queries and subscriptions. WRITE: mutations too.',
});

@ObjectType('User', { description: 'A person with a Bascule account, as other members see them.' })
export class UserModel {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => String) displayName!: string;
}

@ObjectType('Organization', { description: 'A tenant: an administration, hospital or operator and its plans.' })
export class OrganizationModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType('OrganizationMembership')
export class OrganizationMembershipModel {
  @Field(() => OrganizationModel) organization!: OrganizationModel;
  @Field(() => OrgRoleModel) role!: OrgRoleModel;
}

@ObjectType('Viewer', {
  description: 'The caller: their account, the organization this session acts in, and all their organizations.',
})
export class ViewerModel {
  @Field(() => UserModel) user!: UserModel;
  @Field(() => OrganizationModel, { nullable: true }) organization!: OrganizationModel | null;
  @Field(() => OrgRoleModel, { nullable: true, description: 'Role in the current organization.' })
  role!: OrgRoleModel | null;
  @Field(() => [OrganizationMembershipModel]) organizations!: OrganizationMembershipModel[];
  @Field(() => Boolean, { description: 'True when the caller is an API token rather than a person.' })
  viaApiToken!: boolean;
  @Field(() => [ApiTokenScopeModel]) scopes!: ApiTokenScopeModel[];
  @Field(() => LanguageEnum, {
    nullable: true,
    description: 'The language Bascule writes to you in (e-mails); null until you choose one (setLanguage).',
  })
  language!: Language | null;
}

@ObjectType('Session', { description: 'A signed-in device or browser.' })
export class SessionModel {
  @Field(() => ID) id!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) lastUsedAt!: Date;
  @Field(() => Date) expiresAt!: Date;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Boolean, { description: 'This is the session making the request.' }) current!: boolean;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType('Member')
export class MemberModel {
  @Field(() => UserModel) user!: UserModel;
  @Field(() => OrgRoleModel) role!: OrgRoleModel;
  @Field(() => Date) joinedAt!: Date;
}

@ObjectType('Invitation')
export class InvitationModel {
  @Field(() => ID) id!: string;
  @Field(() => String) email!: string;
  @Field(() => OrgRoleModel) role!: OrgRoleModel;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) expiresAt!: Date;
}

@ObjectType('InviteMemberPayload')
export class InviteMemberPayload {
  @Field(() => InvitationModel) invitation!: InvitationModel;
  @Field(() => String, { description: 'Link to send to the invitee; shown once, valid for 7 days, single use.' })
  acceptUrl!: string;
  @Field(() => String, { description: 'The invitation secret inside acceptUrl, for acceptInvitation.' }) token!: string;
  @Field(() => Boolean, {
    description:
      'Whether the link was put in the e-mail outbox (see mailDeliveries); false when this server sends no e-mail: send acceptUrl yourself.',
  })
  emailed!: boolean;
}

@InputType()
export class InviteMemberInput {
  @Field(() => String) email!: string;
  @Field(() => OrgRoleModel, { defaultValue: OrgRoleModel.MEMBER }) role!: OrgRoleModel;
}

@ObjectType('ApiToken', { description: 'A token for an external tool; it acts for its creator within its scopes.' })
export class ApiTokenModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The first characters of the secret, to recognise it.' }) prefix!: string;
  @Field(() => [ApiTokenScopeModel]) scopes!: ApiTokenScopeModel[];
  @Field(() => UserModel, { nullable: true, description: 'The member it acts for.' }) createdBy!: UserModel | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) expiresAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'To the minute.' }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}

@ObjectType('CreateApiTokenPayload')
export class CreateApiTokenPayload {
  @Field(() => ApiTokenModel) apiToken!: ApiTokenModel;
  @Field(() => String, {
    description: 'The secret: shown this once, stored only as a hash. Send it as "Authorization: Bearer <secret>".',
  })
  secret!: string;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => String) name!: string;
  @Field(() => [ApiTokenScopeModel]) scopes!: ApiTokenScopeModel[];
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
}
