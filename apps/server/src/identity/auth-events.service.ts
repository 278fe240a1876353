import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../core/core.module.js';
import { AuthEventEntity, type AuthEventType } from './auth-event.entity.js';

export interface AuthEventInput {
  readonly userId?: string | null;
  readonly organizationId?: string | null;
  readonly actorId?: string | null;
  readonly ip?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Writes the append-only record of who signed in, failed, created or revoked what. */
@Injectable()
export class AuthEventsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records an event, inside the caller's transaction when one is given. */
  async record(
    type: AuthEventType,
    input: AuthEventInput,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.insert(AuthEventEntity, {
      occurredAt: this.clock.now(),
      type,
      userId: input.userId ?? null,
      organizationId: input.organizationId ?? null,
      actorId: input.actorId ?? null,
      ip: input.ip?.slice(0, 64) ?? null,
      details: input.details === undefined ? null : JSON.stringify(input.details),
    });
  }
}
