import { AppError } from '../../common/errors.js';
import type { PlanView } from '../plan-read.service.js';
import { type Connection, PageInfoModel } from './plan-content.models.js';
import { PlanModel } from './plan.models.js';
import { PlanRoleModel } from '../../plans/models/plan-role.models.js';

/** A plan as GraphQL shows it; `organizationId` stays server-side (field resolvers need it). */
export type PlanResult = PlanModel & { readonly organizationId: string; readonly nextMilestoneId: string | null };

export function toPlanModel({ plan, summary, role }: PlanView): PlanResult {
  return {
    id: plan.id,
    organizationId: plan.organizationId,
    nextMilestoneId: summary.nextMilestoneId,
    title: summary.title,
    createdAt: plan.createdAt,
    defaultMemberRole: plan.defaultMemberRole === null ? null : PlanRoleModel[plan.defaultMemberRole],
    viewerRole: PlanRoleModel[role],
    status: summary.status,
    sourcePlatform: summary.sourcePlatform,
    targetOfferId: summary.targetOfferId,
    dataSensitivity: summary.dataSensitivity,
    startDate: summary.startDate,
    targetDate: summary.targetDate,
    description: summary.description,
    progress: summary.progress,
    rag: summary.rag,
    ragReasons: summary.ragReasons,
    slippageDays: summary.slippageDays,
    milestoneCount: summary.milestoneCount,
    overdueCount: summary.overdueCount,
    riskCount: summary.riskCount,
    riskExposure: summary.riskExposure,
    maxRiskScore: summary.maxRiskScore,
    checkpointCount: summary.checkpointCount,
    readiness: summary.readiness,
    readinessByFramework: summary.readinessByFramework,
    eligibility: summary.eligibility,
    validationIssues: summary.validationIssues,
    schemaVersion: summary.schemaVersion,
    projectedAt: summary.projectedAt,
  };
}

/**
 * One page of a plan's rows, already filtered, in display order. Cursors are display positions: a
 * reorder between two pages may show an entry twice or skip it, like any list being edited.
 */
export function pageOfRows<T extends { position: number }>(
  rows: readonly T[],
  first: number,
  after: string | null | undefined,
): Connection<T> {
  const from = after === null || after === undefined ? -1 : Number(Buffer.from(after, 'base64url').toString());
  if (!Number.isInteger(from))
    throw new AppError('BAD_USER_INPUT', 'after is not a cursor this list gave.', { field: 'after' });
  const rest = rows.filter((row) => row.position > from);
  const page = rest.slice(0, first);
  const edges = page.map((node) => ({ cursor: Buffer.from(String(node.position)).toString('base64url'), node }));
  const pageInfo = new PageInfoModel();
  pageInfo.hasNextPage = rest.length > first;
  pageInfo.endCursor = edges.at(-1)?.cursor ?? null;
  return { edges, pageInfo, totalCount: rows.length };
}
