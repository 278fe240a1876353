import type { DataSource } from 'typeorm';
import { ApiTokenEntity, UserEntity } from './entities.js';

/**
 * How others see a caller (presence, the audit trail, baselines): the user's display name, and for
 * an API token which one, so that a tool's changes are told from its owner's. Null when the
 * account is gone.
 */
export async function callerNameOf(
  dataSource: DataSource,
  caller: { readonly principal: 'user' | 'apiToken'; readonly userId: string; readonly apiTokenId: string | null },
): Promise<string | null> {
  const user = await dataSource.getRepository(UserEntity).findOneBy({ id: caller.userId });
  if (user === null) return null;
  if (caller.principal !== 'apiToken' || caller.apiTokenId === null) return user.displayName;
  const token = await dataSource.getRepository(ApiTokenEntity).findOneBy({ id: caller.apiTokenId });
  return token === null ? `${user.displayName} (API token)` : `${user.displayName} (API token “${token.name}”)`;
}
