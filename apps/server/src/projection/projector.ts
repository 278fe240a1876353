import { type Localized, pick } from '@bascule/plan-model';
import {
  eligibility,
  isOverdue,
  nextMilestone,
  type OfferFacts,
  overallReadiness,
  type PlanContent,
  progress,
  ragStatus,
  readinessByFramework,
  readPlan,
  riskExposure,
  riskScore,
  RunbookGraph,
  runbookTiming,
  scheduleSlippage,
  slipDays,
} from '@bascule/plan-model';
import * as Y from 'yjs';
import type { CheckpointRow, MilestoneRow, PlanSummaryEntity, RiskRow, RunbookRow, WorkloadRow } from './entities.js';

/** The summary's title of a plan without one, in the plan's language. */
const UNTITLED: Localized = { fr: '(sans titre)', en: '(untitled)' };

export interface ProjectedPlan {
  readonly summary: Omit<PlanSummaryEntity, 'projectedAt'>;
  readonly milestones: MilestoneRow[];
  readonly risks: RiskRow[];
  readonly checkpoints: CheckpointRow[];
  readonly workloads: WorkloadRow[];
  readonly runbooks: RunbookRow[];
}

/**
 * A number that grows with every change to a document (inserted items plus deleted ones), so that
 * of two projections of one plan the later state wins, whichever instance writes last.
 */
export function documentVersion(doc: Y.Doc): number {
  let version = 0;
  for (const clock of Y.decodeStateVector(Y.encodeStateVector(doc)).values()) version += clock;
  for (const ranges of Y.createDeleteSetFromStructStore(doc.store).clients.values())
    for (const range of ranges) version += range.len;
  return version;
}

/** What a projection needs of a document, read in one synchronous pass (on the live document). */
export interface DocumentState {
  readonly content: PlanContent;
  readonly version: number;
}

export function stateOf(doc: Y.Doc): DocumentState {
  return { content: readPlan(doc), version: documentVersion(doc) };
}

/**
 * The rows of a plan's read model, from its content. Pure and deterministic: the same content, offer
 * and day always give the same rows.
 */
export function projectPlan(
  plan: { readonly id: string; readonly organizationId: string },
  content: PlanContent,
  offer: OfferFacts | null,
  today: string,
  version: number,
): ProjectedPlan {
  const planId = plan.id;
  const { meta } = content;
  const rag = ragStatus(content, today, meta.language);
  const next = nextMilestone(content.milestones);
  const activeScores = content.risks.filter((risk) => risk.status !== 'CLOSED').map(riskScore);
  const warnings = eligibility(content, offer, meta.language);
  return {
    summary: {
      planId,
      organizationId: plan.organizationId,
      title: meta.title === '' ? pick(UNTITLED, meta.language) : meta.title,
      status: meta.status,
      sourcePlatform: meta.sourcePlatform,
      targetOfferId: meta.targetOfferId,
      dataSensitivity: meta.dataSensitivity,
      startDate: meta.startDate,
      targetDate: meta.targetDate,
      description: meta.description,
      progress: progress(content.milestones),
      rag: rag.rag,
      ragReasons: [...rag.reasons],
      slippageDays: scheduleSlippage(content.milestones, today),
      milestoneCount: content.milestones.length,
      overdueCount: content.milestones.filter((milestone) => isOverdue(milestone, today)).length,
      riskCount: activeScores.length,
      riskExposure: riskExposure(content.risks),
      maxRiskScore: Math.max(0, ...activeScores),
      checkpointCount: content.checkpoints.length,
      readiness: overallReadiness(content.checkpoints),
      nextMilestoneId: next?.id ?? null,
      nextMilestoneTitle: next?.title ?? null,
      nextMilestoneDue: next?.dueDate ?? null,
      readinessByFramework: readinessByFramework(content.checkpoints),
      eligibility: warnings.map(({ code, message }) => ({ code, message })),
      validationIssues: content.issues.map(({ path, message }) => ({ path, message })),
      searchText: [meta.title, meta.sourcePlatform ?? '', meta.description, content.notesText]
        .join('\n')
        .toLowerCase()
        .slice(0, 100_000),
      schemaVersion: meta.schemaVersion,
      documentVersion: String(version),
      computedOn: today,
    },
    milestones: content.milestones.map((milestone, position) => ({
      planId,
      position,
      id: milestone.id,
      title: milestone.title,
      kind: milestone.kind,
      status: milestone.status,
      owner: milestone.owner,
      ownerId: milestone.ownerId,
      startDate: milestone.startDate,
      dueDate: milestone.dueDate,
      completedOn: milestone.completedOn,
      dependsOn: [...milestone.dependsOn],
      slipDays: slipDays(milestone, today),
      overdue: isOverdue(milestone, today),
    })),
    risks: content.risks.map((risk, position) => ({
      planId,
      position,
      id: risk.id,
      title: risk.title,
      category: risk.category,
      likelihood: risk.likelihood,
      impact: risk.impact,
      score: riskScore(risk),
      status: risk.status,
      owner: risk.owner,
      ownerId: risk.ownerId,
      mitigation: risk.mitigation,
      automatic: risk.automatic,
    })),
    checkpoints: content.checkpoints.map((checkpoint, position) => ({
      planId,
      position,
      id: checkpoint.id,
      title: checkpoint.title,
      framework: checkpoint.framework,
      requirement: checkpoint.requirement,
      status: checkpoint.status,
      ownerId: checkpoint.ownerId,
      evidence: [...checkpoint.evidence],
      milestoneIds: [...checkpoint.milestoneIds],
      approvedBy: checkpoint.approvedBy,
      approvedAt: checkpoint.approvedAt,
      justification: checkpoint.justification,
    })),
    workloads: content.workloads.map((workload, position) => ({
      planId,
      position,
      id: workload.id,
      name: workload.name,
      criticality: workload.criticality,
      dataClassification: workload.dataClassification,
      strategy: workload.strategy,
      targetOfferId: workload.targetOfferId,
      owner: workload.owner,
      wave: workload.wave,
      dependsOn: [...workload.dependsOn],
    })),
    runbooks: content.runbooks.map((runbook, position) => {
      const tasks = content.runbookTasks.filter((task) => task.runbookId === runbook.id);
      const graph = new RunbookGraph(tasks);
      // Planned figures only (no clock): the same content always gives the same row.
      const timing = runbookTiming({ ...runbook, state: 'PLANNING' }, graph, 0);
      const main = tasks.filter((task) => task.stage !== 'ROLLBACK');
      return {
        planId,
        position,
        id: runbook.id,
        title: runbook.title,
        kind: runbook.kind,
        state: runbook.state,
        rehearsalOf: runbook.rehearsalOf,
        milestoneId: runbook.milestoneId,
        wave: runbook.wave,
        t0: runbook.t0,
        plannedEnd: timing.t0 === null ? null : new Date(timing.t0 + timing.plannedEnd * 60_000).toISOString(),
        startedAt: runbook.startedAt,
        endedAt: runbook.endedAt,
        taskCount: main.length,
        doneCount: main.filter((task) => task.status === 'DONE' || task.status === 'SKIPPED').length,
      };
    }),
  };
}
