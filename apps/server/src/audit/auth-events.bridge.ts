import { Inject, Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntitySubscriberInterface,
  type InsertEvent,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { AuditTrailService } from './audit-trail.service.js';
import { AuthEventEntity } from '../identity/auth-event.entity.js';

/**
 * Copies every sign-in, sign-out, token and membership event (auth_events) of an organization into
 * its audit trail, once the transaction that wrote it has committed: an event rolled back with its
 * change never reaches the trail.
 */
@Injectable()
export class AuthEventsBridge implements EntitySubscriberInterface<AuthEventEntity> {
  private readonly waiting = new WeakMap<QueryRunner, AuthEventEntity[]>();

  constructor(
    dataSource: DataSource,
    private readonly trail: AuditTrailService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    dataSource.subscribers.push(this);
  }

  listenTo() {
    return AuthEventEntity;
  }

  afterInsert(event: InsertEvent<AuthEventEntity>): void {
    const inserted = event.entity as AuthEventEntity | undefined;
    if (inserted === undefined || inserted.organizationId === null) return;
    if (event.queryRunner.isTransactionActive) {
      const list = this.waiting.get(event.queryRunner) ?? [];
      list.push(inserted);
      this.waiting.set(event.queryRunner, list);
    } else void this.forward([inserted]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const list = this.waiting.get(event.queryRunner);
    this.waiting.delete(event.queryRunner);
    if (list !== undefined) void this.forward(list);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.waiting.delete(event.queryRunner);
  }

  private async forward(events: readonly AuthEventEntity[]): Promise<void> {
    try {
      for (const event of events) {
        const actorId = event.actorId ?? event.userId;
        this.trail.record({
          organizationId: event.organizationId as string,
          planId: null,
          actor: { kind: actorId === null ? 'system' : 'user', id: actorId, name: await this.trail.nameOf(actorId) },
          action: event.type,
          entity: 'auth',
          entityId: event.userId,
          field: null,
          details: {
            ...(event.details === null ? {} : (JSON.parse(event.details) as Record<string, unknown>)),
            ...(event.ip === null ? {} : { ip: event.ip }),
          },
          at: event.occurredAt ?? this.clock.now(),
        });
      }
    } catch (error) {
      this.logger.error({ err: error }, 'an auth event could not be copied to the audit trail');
    }
  }
}
