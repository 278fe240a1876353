import type { AuthContext } from '../../access/auth-context.js';
import type { ApiTokenEntity, InvitationEntity, OrganizationEntity, SessionEntity, UserEntity } from '../entities.js';
import { scopesOf } from '../api-tokens.service.js';
import {
  type ApiTokenModel,
  ApiTokenScopeModel,
  type InvitationModel,
  type OrganizationModel,
  OrgRoleModel,
  type SessionModel,
  type UserModel,
} from './identity.models.js';

export const toUser = (user: UserEntity): UserModel => ({
  id: user.id,
  email: user.email,
  displayName: user.displayName,
});

export const toOrganization = (organization: OrganizationEntity): OrganizationModel => ({
  id: organization.id,
  name: organization.name,
  createdAt: organization.createdAt,
});

export const toRole = (role: string): OrgRoleModel => OrgRoleModel[role as keyof typeof OrgRoleModel];

export const toScopes = (scopes: readonly string[]): ApiTokenScopeModel[] =>
  scopes.map((scope) => (scope === 'write' ? ApiTokenScopeModel.WRITE : ApiTokenScopeModel.READ));

export const toSession = (session: SessionEntity, auth: AuthContext): SessionModel => ({
  id: session.id,
  createdAt: session.createdAt,
  lastUsedAt: session.lastUsedAt,
  expiresAt: session.expiresAt,
  userAgent: session.userAgent,
  ip: session.ip,
  current: session.id === auth.sessionId,
  revokedAt: session.revokedAt,
});

export const toInvitation = (invitation: InvitationEntity): InvitationModel => ({
  id: invitation.id,
  email: invitation.email,
  role: toRole(invitation.role),
  createdAt: invitation.createdAt,
  expiresAt: invitation.expiresAt,
});

export const toApiToken = (token: ApiTokenEntity, creator: UserEntity | null): ApiTokenModel => ({
  id: token.id,
  name: token.name,
  prefix: token.displayPrefix,
  scopes: toScopes(scopesOf(token)),
  createdBy: creator === null ? null : toUser(creator),
  createdAt: token.createdAt,
  expiresAt: token.expiresAt,
  lastUsedAt: token.lastUsedAt,
  revokedAt: token.revokedAt,
});
