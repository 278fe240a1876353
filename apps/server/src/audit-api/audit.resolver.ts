import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import type { AuditEventEntity } from '../audit/audit-event.entity.js';
import { AuditQueryService } from './audit-query.service.js';
import {
  AuditChainCheckModel,
  AuditEventConnection,
  AuditEventFilter,
  type AuditEventModel,
} from './models/audit.models.js';

export const toAuditEvent = (event: AuditEventEntity): AuditEventModel => ({
  seq: event.seq,
  occurredAt: event.occurredAt,
  planId: event.planId,
  actor: { kind: event.actorKind, id: event.actorId, name: event.actorName },
  action: event.action,
  entity: event.entity,
  entityId: event.entityId,
  field: event.field,
  before: event.before,
  after: event.after,
  details: event.details,
  hash: event.hash,
});

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditQueryService) {}

  @Allow('audit.read')
  @Query(() => AuditEventConnection, {
    description: "The audit trail, newest first: one plan's (anyone who may see it) or the organization's (admins).",
  })
  async auditEvents(
    @CurrentAuth() auth: AuthContext,
    @Args('filter', { type: () => AuditEventFilter, nullable: true }) filter: AuditEventFilter | null,
    @Args('first', { type: () => Int, nullable: true, description: 'At most 500; 50 when omitted.' })
    first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ) {
    const page = await this.audit.page(auth, filter ?? {}, first ?? 50, after ?? null);
    const edges = page.events.map((event) => ({ cursor: String(event.seq), node: toAuditEvent(event) }));
    return {
      edges,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: page.totalCount,
    };
  }

  @Allow('audit.read')
  @Query(() => AuditChainCheckModel, {
    description: "Recomputes the organization's hash chain from its first event (owners and admins).",
  })
  async auditTrailCheck(@CurrentAuth() auth: AuthContext): Promise<AuditChainCheckModel> {
    const check = await this.audit.verify(auth);
    return {
      events: check.events,
      valid: check.brokenAt === null,
      brokenAt: check.brokenAt,
      problem: check.problem,
      headSeq: check.head?.seq ?? null,
      headHash: check.head?.hash ?? null,
    };
  }
}
