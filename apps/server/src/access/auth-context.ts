import { type ApiTokenScope, type OrgRole } from './roles.js';

/**
 * Who is calling, as every resolver and the collab socket see it. Built per request from a verified
 * token; the organization role is read from the database each time, so a role change or removal
 * takes effect on the very next request.
 */
export interface AuthContext {
  readonly principal: 'user' | 'apiToken';
  readonly userId: string;
  /** The organization this request acts in (the session's, or the API token's). */
  readonly organizationId: string | null;
  /** The caller's role in that organization now; null when not (or no longer) a member. */
  readonly orgRole: OrgRole | null;
  readonly scopes: readonly ApiTokenScope[];
  readonly sessionId: string | null;
  readonly apiTokenId: string | null;
  /** When the credential stops being valid (the access token's expiry, the API token's), if ever. */
  readonly expiresAt: Date | null;
}
