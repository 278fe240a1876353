import type { DataSource } from 'typeorm';
import { ApiTokenEntity, UserEntity } from './entities.js';

/**
 * How others see a caller (presence, the audit trail, baselines): the user's display name, and for
 * an API token which one, so that a tool's changes are told from its owner's. Null when the
 * account is gone.
 */
export async function callerNameOf(dataSource: DataSource, caller: Caller): Promise<string | null> {
  const user = await dataSource.getRepository(UserEntity).findOneBy({ id: caller.userId });
  if (user === null) return null;
  if (caller.principal !== 'apiToken' || caller.apiTokenId === null) return user.displayName;
  const token = await dataSource.getRepository(ApiTokenEntity).findOneBy({ id: caller.apiTokenId });
  return callerNameFrom(caller, user.displayName, token?.name ?? null);
}

/** The name callerNameOf gives, from rows read elsewhere: the user's display name (null: no such user) and the token's name. */
export function callerNameFrom(caller: Caller, displayName: string | null, tokenName: string | null): string | null {
  if (displayName === null) return null;
  if (caller.principal !== 'apiToken' || caller.apiTokenId === null) return displayName;
  return tokenName === null ? `${displayName} (API token)` : `${displayName} (API token “${tokenName}”)`;
}

export interface Caller {
  readonly principal: 'user' | 'apiToken';
  readonly userId: string;
  readonly apiTokenId: string | null;
}
