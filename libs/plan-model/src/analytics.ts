import { daysBetween } from './dates.js';
import type { Language } from './language.js';
import type { Checkpoint, IsoDate, Milestone, PlanContent, PlanMeta, Risk } from './schema.js';

/**
 * The planning figures managers follow, computed from a plan's content and today's date only:
 * pure, so the server's projection, the web client and tests agree on every number.
 */

export type Rag = 'GREEN' | 'AMBER' | 'RED';

/** Thresholds of the RAG rule (docs/plan-document.md explains them to users). */
export const RAG_RULES = {
  /** Days of schedule slippage that turn a plan red. */
  redSlipDays: 30,
  /** A risk at or above this score (likelihood x impact) makes the plan amber; red at `redRiskScore`. */
  amberRiskScore: 12,
  redRiskScore: 20,
} as const;

export const riskScore = (risk: Pick<Risk, 'likelihood' | 'impact'>): number => risk.likelihood * risk.impact;

/** A closed risk no longer counts; an accepted one still does (it was accepted, not removed). */
export const isRiskActive = (risk: Pick<Risk, 'status'>): boolean => risk.status !== 'CLOSED';

/** Sum of the scores of active risks. */
export function riskExposure(risks: readonly Risk[]): number {
  return risks.filter(isRiskActive).reduce((sum, risk) => sum + riskScore(risk), 0);
}

/** Active risks counted by cell: `heatMap[likelihood - 1][impact - 1]`. */
export function heatMap(risks: readonly Risk[]): number[][] {
  return Array.from({ length: 5 }, (_, likelihood) =>
    Array.from(
      { length: 5 },
      (_, impact) =>
        risks.filter((risk) => isRiskActive(risk) && risk.likelihood === likelihood + 1 && risk.impact === impact + 1)
          .length,
    ),
  );
}

/** Share of milestones done, 0 to 1 (0 for a plan without milestones). */
export function progress(milestones: readonly Milestone[]): number {
  if (milestones.length === 0) return 0;
  return milestones.filter((milestone) => milestone.status === 'DONE').length / milestones.length;
}

export function isOverdue(milestone: Milestone, today: IsoDate): boolean {
  return milestone.status !== 'DONE' && milestone.dueDate !== null && milestone.dueDate < today;
}

/**
 * Days a milestone is late: for a done one, from its due date to the day it was completed; for an
 * open one, from its due date to today. Never negative; 0 without a due date.
 */
export function slipDays(milestone: Milestone, today: IsoDate): number {
  if (milestone.dueDate === null) return 0;
  const end = milestone.status === 'DONE' ? (milestone.completedOn ?? milestone.dueDate) : today;
  return Math.max(0, daysBetween(milestone.dueDate, end));
}

/** The plan's schedule slippage: the most any milestone is late, in days. */
export function scheduleSlippage(milestones: readonly Milestone[], today: IsoDate): number {
  return milestones.reduce((worst, milestone) => Math.max(worst, slipDays(milestone, today)), 0);
}

/** The first open milestone by due date (those without a date come last). */
export function nextMilestone(milestones: readonly Milestone[]): Milestone | null {
  const open = milestones.filter((milestone) => milestone.status !== 'DONE');
  open.sort((a, b) => (a.dueDate ?? '9999-12-31').localeCompare(b.dueDate ?? '9999-12-31'));
  return open[0] ?? null;
}

export interface FrameworkReadiness {
  readonly framework: string;
  readonly total: number;
  readonly passed: number;
  readonly waived: number;
  readonly inReview: number;
  readonly failed: number;
  readonly todo: number;
  /** (passed + waived) / total, 0 to 1. */
  readonly readiness: number;
}

/** Compliance readiness per framework, frameworks in alphabetical order. */
export function readinessByFramework(checkpoints: readonly Checkpoint[]): FrameworkReadiness[] {
  const groups = new Map<string, Checkpoint[]>();
  for (const checkpoint of checkpoints)
    groups.set(checkpoint.framework, [...(groups.get(checkpoint.framework) ?? []), checkpoint]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([framework, items]) => {
      const count = (status: Checkpoint['status']) => items.filter((item) => item.status === status).length;
      const passed = count('PASSED');
      const waived = count('WAIVED');
      return {
        framework,
        total: items.length,
        passed,
        waived,
        inReview: count('IN_REVIEW'),
        failed: count('FAILED'),
        todo: count('TODO'),
        readiness: (passed + waived) / items.length,
      };
    });
}

/** All checkpoints together: (passed + waived) / total, or null without checkpoints. */
export function overallReadiness(checkpoints: readonly Checkpoint[]): number | null {
  if (checkpoints.length === 0) return null;
  return checkpoints.filter((item) => item.status === 'PASSED' || item.status === 'WAIVED').length / checkpoints.length;
}

export interface RagStatus {
  readonly rag: Rag;
  /** Why, in words, most serious first: what a manager reads next to the colour. */
  readonly reasons: readonly string[];
}

/** `count` things, singular for one (and, in French, for none), plural otherwise. */
const counted = (count: number, one: string, many: string, language: Language) =>
  `${count} ${count === 1 || (language === 'fr' && count === 0) ? one : many}`;

/** The words of the reasons, in each language. */
const REASONS: Readonly<
  Record<
    Language,
    {
      overdueCutover: (title: string) => string;
      slipped: (days: number) => string;
      criticalRisks: (count: number) => string;
      failedCheckpoints: (count: number) => string;
      overdueMilestones: (count: number) => string;
      blockedMilestones: (count: number) => string;
      highRisks: (count: number) => string;
    }
  >
> = {
  en: {
    overdueCutover: (title) => `cutover "${title}" is overdue`,
    slipped: (days) => `schedule slipped ${counted(days, 'day', 'days', 'en')}`,
    criticalRisks: (count) => counted(count, 'critical risk', 'critical risks', 'en'),
    failedCheckpoints: (count) => counted(count, 'failed checkpoint', 'failed checkpoints', 'en'),
    overdueMilestones: (count) => counted(count, 'overdue milestone', 'overdue milestones', 'en'),
    blockedMilestones: (count) => counted(count, 'blocked milestone', 'blocked milestones', 'en'),
    highRisks: (count) => counted(count, 'high risk', 'high risks', 'en'),
  },
  fr: {
    overdueCutover: (title) => `la bascule « ${title} » est en retard`,
    slipped: (days) => `glissement du planning de ${counted(days, 'jour', 'jours', 'fr')}`,
    criticalRisks: (count) => counted(count, 'risque critique', 'risques critiques', 'fr'),
    failedCheckpoints: (count) =>
      counted(count, 'point de contrôle non conforme', 'points de contrôle non conformes', 'fr'),
    overdueMilestones: (count) => counted(count, 'jalon en retard', 'jalons en retard', 'fr'),
    blockedMilestones: (count) => counted(count, 'jalon bloqué', 'jalons bloqués', 'fr'),
    highRisks: (count) => counted(count, 'risque élevé', 'risques élevés', 'fr'),
  },
};

/**
 * Red: the cutover is overdue, the schedule slipped more than 30 days, an active risk scores 20 or
 * more, or a checkpoint failed. Amber: a milestone is overdue or blocked, or an active risk scores 12
 * or more. Green otherwise, and for completed or cancelled plans. The reasons are written in
 * `language` (the plan's, for the projection; the reader's, for a report).
 */
export function ragStatus(
  plan: Pick<PlanContent, 'milestones' | 'risks' | 'checkpoints'> & { readonly meta: Pick<PlanMeta, 'status'> },
  today: IsoDate,
  language: Language,
): RagStatus {
  if (plan.meta.status === 'COMPLETED' || plan.meta.status === 'CANCELLED') return { rag: 'GREEN', reasons: [] };
  const words = REASONS[language];
  const red: string[] = [];
  const amber: string[] = [];
  const overdue = plan.milestones.filter((milestone) => isOverdue(milestone, today));
  const overdueCutover = overdue.find((milestone) => milestone.kind === 'CUTOVER');
  if (overdueCutover !== undefined) red.push(words.overdueCutover(overdueCutover.title));
  const slip = scheduleSlippage(plan.milestones, today);
  if (slip > RAG_RULES.redSlipDays) red.push(words.slipped(slip));
  const active = plan.risks.filter(isRiskActive);
  const critical = active.filter((risk) => riskScore(risk) >= RAG_RULES.redRiskScore);
  if (critical.length > 0) red.push(words.criticalRisks(critical.length));
  const failed = plan.checkpoints.filter((checkpoint) => checkpoint.status === 'FAILED');
  if (failed.length > 0) red.push(words.failedCheckpoints(failed.length));
  if (overdue.length > 0) amber.push(words.overdueMilestones(overdue.length));
  const blocked = plan.milestones.filter((milestone) => milestone.status === 'BLOCKED');
  if (blocked.length > 0) amber.push(words.blockedMilestones(blocked.length));
  const high = active.filter((risk) => {
    const score = riskScore(risk);
    return score >= RAG_RULES.amberRiskScore && score < RAG_RULES.redRiskScore;
  });
  if (high.length > 0) amber.push(words.highRisks(high.length));
  if (red.length > 0) return { rag: 'RED', reasons: [...red, ...amber] };
  if (amber.length > 0) return { rag: 'AMBER', reasons: amber };
  return { rag: 'GREEN', reasons: [] };
}
