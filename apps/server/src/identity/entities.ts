import type { OrgRole } from '../access/roles.js';
import type { Language } from '@bascule/plan-model';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Persistence shapes of the identity context. Plain rows: the rules live in the services, and none
 * of these classes is ever a GraphQL type (mappers build the models).
 */

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 254 }) email!: string;
  @Column({ name: 'display_name', type: 'varchar', length: 120 }) displayName!: string;
  /** Argon2id in PHC format; null for accounts that only sign in through single sign-on. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true }) passwordHash!: string | null;
  @Column({ name: 'email_verified', type: 'boolean' }) emailVerified!: boolean;
  /** The language Bascule writes to them in (e-mails); null until they choose or sign up with one. */
  @Column({ type: 'varchar', length: 2, nullable: true }) language!: Language | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}

@Entity({ name: 'organizations' })
export class OrganizationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 120 }) name!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}

@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ type: 'varchar', length: 16 }) role!: OrgRole;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}

@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ type: 'varchar', length: 254 }) email!: string;
  @Column({ type: 'varchar', length: 16 }) role!: OrgRole;
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ name: 'invited_by', type: 'varchar', length: 36, nullable: true }) invitedBy!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'expires_at', type: Date }) expiresAt!: Date;
  @Column({ name: 'accepted_at', type: Date, nullable: true }) acceptedAt!: Date | null;
  @Column({ name: 'accepted_by', type: 'varchar', length: 36, nullable: true }) acceptedBy!: string | null;
  @Column({ name: 'revoked_at', type: Date, nullable: true }) revokedAt!: Date | null;
}

/** A sign-in: one family of rotating refresh tokens, in the context of one organization. */
@Entity({ name: 'sessions' })
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true }) organizationId!: string | null;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'last_used_at', type: Date }) lastUsedAt!: Date;
  @Column({ name: 'expires_at', type: Date }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: Date, nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'revoke_reason', type: 'varchar', length: 32, nullable: true }) revokeReason!: string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true }) userAgent!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip!: string | null;
}

@Entity({ name: 'refresh_tokens' })
export class RefreshTokenEntity {
  @PrimaryColumn({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash!: string;
  @Column({ name: 'session_id', type: 'varchar', length: 36 }) sessionId!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  /** Set when the token is exchanged; presenting it again is a reuse. */
  @Column({ name: 'used_at', type: Date, nullable: true }) usedAt!: Date | null;
}

@Entity({ name: 'api_tokens' })
export class ApiTokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  /** The member the token acts for: it never has more rights than they have now. */
  @Column({ name: 'created_by', type: 'varchar', length: 36 }) createdBy!: string;
  @Column({ type: 'varchar', length: 80 }) name!: string;
  @Column({ name: 'display_prefix', type: 'varchar', length: 16 }) displayPrefix!: string;
  @Column({ name: 'token_hash', type: 'varchar', length: 64 }) tokenHash!: string;
  /** Comma-separated ApiTokenScope values. */
  @Column({ type: 'varchar', length: 32 }) scopes!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'expires_at', type: Date, nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'last_used_at', type: Date, nullable: true }) lastUsedAt!: Date | null;
  @Column({ name: 'revoked_at', type: Date, nullable: true }) revokedAt!: Date | null;
}

/** An account at an OpenID provider linked to a Bascule user. */
@Entity({ name: 'user_identities' })
export class UserIdentityEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 }) issuer!: string;
  @PrimaryColumn({ type: 'varchar', length: 255 }) subject!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
}

/** One single-sign-on attempt, from the redirect to the provider until the browser collects its tokens. */
@Entity({ name: 'oidc_logins' })
export class OidcLoginEntity {
  @PrimaryColumn({ name: 'state_hash', type: 'varchar', length: 64 }) stateHash!: string;
  @Column({ name: 'code_verifier', type: 'varchar', length: 128 }) codeVerifier!: string;
  @Column({ type: 'varchar', length: 128 }) nonce!: string;
  @Column({ name: 'created_at', type: Date }) createdAt!: Date;
  @Column({ name: 'expires_at', type: Date }) expiresAt!: Date;
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true }) userId!: string | null;
  @Column({ name: 'exchange_hash', type: 'varchar', length: 64, nullable: true }) exchangeHash!: string | null;
}
