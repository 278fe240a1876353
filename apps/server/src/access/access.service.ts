import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors.js';
import { type OrgRole } from './roles.js';
import type { AuthContext } from './auth-context.js';
import { permissionRule, roleAtLeast, type Permission } from './permissions.js';

/**
 * The one place that decides whether a caller may do something. Used by the request guard for the
 * declared permission of every operation, by services for rules on a specific resource, and by the
 * collab socket.
 */
@Injectable()
export class AccessService {
  /** Throws UNAUTHENTICATED or FORBIDDEN unless the caller holds the permission; returns the caller. */
  require(auth: AuthContext | undefined, permission: Permission): AuthContext | undefined {
    const rule = permissionRule(permission);
    if (!rule.authenticated) return auth;
    if (auth === undefined)
      throw new AppError('UNAUTHENTICATED', 'Sign in first: this needs a valid access or API token.');
    if (!(rule.principals as readonly string[]).includes(auth.principal)) {
      throw new AppError('FORBIDDEN', 'An API token cannot do this; sign in as a person.');
    }
    if (rule.scope !== null && !auth.scopes.includes(rule.scope)) {
      throw new AppError('FORBIDDEN', `This needs a token with the ${rule.scope} scope.`);
    }
    if (rule.minRole !== null) this.requireOrgRole(auth, rule.minRole);
    return auth;
  }

  /** The caller's current organization, provided their role there is at least `minimum`. */
  requireOrgRole(auth: AuthContext, minimum: OrgRole): string {
    if (auth.organizationId === null || auth.orgRole === null) {
      throw new AppError('FORBIDDEN', 'You are not a member of an organization in this session.');
    }
    if (!roleAtLeast(auth.orgRole, minimum)) {
      throw new AppError('FORBIDDEN', `This needs the ${minimum} role in the organization.`);
    }
    return auth.organizationId;
  }
}
