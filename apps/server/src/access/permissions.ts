import { SetMetadata } from '@nestjs/common';
import { type ApiTokenScope, type OrgRole } from './roles.js';

interface PermissionRule {
  /** False only for operations anyone may call, signed in or not. */
  readonly authenticated: boolean;
  /** Which kinds of caller may use it at all. */
  readonly principals: readonly ('user' | 'apiToken')[];
  /** The least organization role needed in the current organization; null when none is. */
  readonly minRole: OrgRole | null;
  /** The API token scope needed (user sessions hold both). */
  readonly scope: ApiTokenScope | null;
}

const anyone = ['user', 'apiToken'] as const;
const usersOnly = ['user'] as const;

/**
 * Every permission an operation can declare, with the rule that grants it. Resource checks (this
 * plan, this member of this organization) are the services' job; these rules say who may try.
 */
export const PERMISSIONS = {
  public: { authenticated: false, principals: anyone, minRole: null, scope: null },
  'account.read': { authenticated: true, principals: anyone, minRole: null, scope: 'read' },
  'account.manage': { authenticated: true, principals: usersOnly, minRole: null, scope: 'write' },
  'organization.read': { authenticated: true, principals: anyone, minRole: 'MEMBER', scope: 'read' },
  'members.manage': { authenticated: true, principals: anyone, minRole: 'ADMIN', scope: 'write' },
  'apiTokens.manage': { authenticated: true, principals: usersOnly, minRole: 'ADMIN', scope: 'write' },
  'plans.read': { authenticated: true, principals: anyone, minRole: 'MEMBER', scope: 'read' },
  'plans.write': { authenticated: true, principals: anyone, minRole: 'MEMBER', scope: 'write' },
  'catalog.manage': { authenticated: true, principals: anyone, minRole: 'ADMIN', scope: 'write' },
  'audit.read': { authenticated: true, principals: anyone, minRole: 'MEMBER', scope: 'read' },
  'webhooks.manage': { authenticated: true, principals: anyone, minRole: 'ADMIN', scope: 'write' },
  /** A person's own notifications and how they want to be told: not an organization's tokens'. */
  'notifications.read': { authenticated: true, principals: usersOnly, minRole: 'MEMBER', scope: 'read' },
  'notifications.manage': { authenticated: true, principals: usersOnly, minRole: 'MEMBER', scope: 'write' },
} as const satisfies Record<string, PermissionRule>;

export type Permission = keyof typeof PERMISSIONS;

export const ACCESS_METADATA = 'bascule:access';

/** Declares what an operation (GraphQL field or REST route) requires. Without it, the call is refused. */
export const Allow = (permission: Permission) => SetMetadata(ACCESS_METADATA, permission);

const ROLE_RANK: Record<OrgRole, number> = { MEMBER: 1, ADMIN: 2, OWNER: 3 };

export function roleAtLeast(role: OrgRole | null, minimum: OrgRole): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[minimum];
}

export function permissionRule(permission: Permission): PermissionRule {
  return PERMISSIONS[permission];
}
