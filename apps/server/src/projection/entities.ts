import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projected from a plan document: never written but by the projector. */
@Entity({ name: 'plan_summaries' })
export class PlanSummaryEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36 }) organizationId!: string;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ name: 'source_platform', type: 'varchar', length: 200, nullable: true }) sourcePlatform!: string | null;
  @Column({ name: 'target_offer_id', type: 'varchar', length: 64, nullable: true }) targetOfferId!: string | null;
  @Column({ name: 'data_sensitivity', type: 'varchar', length: 16 }) dataSensitivity!: string;
  @Column({ name: 'start_date', type: 'varchar', length: 10, nullable: true }) startDate!: string | null;
  @Column({ name: 'target_date', type: 'varchar', length: 10, nullable: true }) targetDate!: string | null;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'real' }) progress!: number;
  @Column({ type: 'varchar', length: 8 }) rag!: string;
  @Column({ name: 'rag_reasons', type: 'simple-json' }) ragReasons!: string[];
  @Column({ name: 'slippage_days', type: 'integer' }) slippageDays!: number;
  @Column({ name: 'milestone_count', type: 'integer' }) milestoneCount!: number;
  @Column({ name: 'overdue_count', type: 'integer' }) overdueCount!: number;
  @Column({ name: 'risk_count', type: 'integer' }) riskCount!: number;
  @Column({ name: 'risk_exposure', type: 'integer' }) riskExposure!: number;
  @Column({ name: 'max_risk_score', type: 'integer' }) maxRiskScore!: number;
  @Column({ name: 'checkpoint_count', type: 'integer' }) checkpointCount!: number;
  @Column({ type: 'real', nullable: true }) readiness!: number | null;
  @Column({ name: 'next_milestone_id', type: 'varchar', length: 64, nullable: true }) nextMilestoneId!: string | null;
  @Column({ name: 'next_milestone_title', type: 'varchar', length: 200, nullable: true })
  nextMilestoneTitle!: string | null;
  @Column({ name: 'next_milestone_due', type: 'varchar', length: 10, nullable: true }) nextMilestoneDue!: string | null;
  @Column({ name: 'readiness_by_framework', type: 'simple-json' }) readinessByFramework!: {
    framework: string;
    total: number;
    passed: number;
    waived: number;
    inReview: number;
    failed: number;
    todo: number;
    readiness: number;
  }[];
  @Column({ type: 'simple-json' }) eligibility!: { code: string; message: string }[];
  @Column({ name: 'validation_issues', type: 'simple-json' }) validationIssues!: { path: string; message: string }[];
  /** Lower-cased title, source, description and notes, for the text filter (never read back: `select: false`). */
  @Column({ name: 'search_text', type: 'text', select: false }) searchText!: string;
  @Column({ name: 'schema_version', type: 'integer' }) schemaVersion!: number;
  /** Grows with every change to the document: an older projection never overwrites a newer one. */
  @Column({ name: 'document_version', type: 'bigint' }) documentVersion!: string;
  /** The day the date-dependent figures (overdue, slippage, RAG) were computed for. */
  @Column({ name: 'computed_on', type: 'varchar', length: 10, nullable: true }) computedOn!: string | null;
  @Column({ name: 'projected_at', type: Date }) projectedAt!: Date;
}

@Entity({ name: 'plan_milestones' })
export class MilestoneRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) owner!: string | null;
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true }) ownerId!: string | null;
  @Column({ name: 'start_date', type: 'varchar', length: 10, nullable: true }) startDate!: string | null;
  @Column({ name: 'due_date', type: 'varchar', length: 10, nullable: true }) dueDate!: string | null;
  @Column({ name: 'completed_on', type: 'varchar', length: 10, nullable: true }) completedOn!: string | null;
  @Column({ name: 'depends_on', type: 'simple-json' }) dependsOn!: string[];
  @Column({ name: 'slip_days', type: 'integer' }) slipDays!: number;
  @Column({ type: 'boolean' }) overdue!: boolean;
}

@Entity({ name: 'plan_risks' })
export class RiskRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 32 }) category!: string;
  @Column({ type: 'integer' }) likelihood!: number;
  @Column({ type: 'integer' }) impact!: number;
  @Column({ type: 'integer' }) score!: number;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ type: 'varchar', length: 200, nullable: true }) owner!: string | null;
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true }) ownerId!: string | null;
  @Column({ type: 'text' }) mitigation!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) automatic!: string | null;
}

@Entity({ name: 'plan_checkpoints' })
export class CheckpointRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'varchar', length: 300 }) title!: string;
  @Column({ type: 'varchar', length: 64 }) framework!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) requirement!: string | null;
  @Column({ type: 'varchar', length: 16 }) status!: string;
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true }) ownerId!: string | null;
  @Column({ type: 'simple-json' }) evidence!: string[];
  @Column({ name: 'milestone_ids', type: 'simple-json' }) milestoneIds!: string[];
  @Column({ name: 'approved_by', type: 'varchar', length: 200, nullable: true }) approvedBy!: string | null;
  @Column({ name: 'approved_at', type: 'varchar', length: 40, nullable: true }) approvedAt!: string | null;
  @Column({ type: 'text' }) justification!: string;
}

@Entity({ name: 'plan_workloads' })
export class WorkloadRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'varchar', length: 16 }) criticality!: string;
  @Column({ name: 'data_classification', type: 'varchar', length: 16 }) dataClassification!: string;
  @Column({ type: 'varchar', length: 16 }) strategy!: string;
  @Column({ name: 'target_offer_id', type: 'varchar', length: 64, nullable: true }) targetOfferId!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) owner!: string | null;
  @Column({ type: 'integer', nullable: true }) wave!: number | null;
  @Column({ name: 'depends_on', type: 'simple-json' }) dependsOn!: string[];
}

/** A plan's cutover runbook, as the portfolio, the calendar and the lateness watch need it. */
@Entity({ name: 'plan_runbooks' })
export class RunbookRow {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 }) planId!: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column({ type: 'varchar', length: 16 }) state!: string;
  @Column({ name: 'rehearsal_of', type: 'varchar', length: 64, nullable: true }) rehearsalOf!: string | null;
  @Column({ name: 'milestone_id', type: 'varchar', length: 64, nullable: true }) milestoneId!: string | null;
  @Column({ type: 'integer', nullable: true }) wave!: number | null;
  /** Instants, ISO 8601, as the document holds them. */
  @Column({ type: 'varchar', length: 40, nullable: true }) t0!: string | null;
  @Column({ name: 'planned_end', type: 'varchar', length: 40, nullable: true }) plannedEnd!: string | null;
  @Column({ name: 'started_at', type: 'varchar', length: 40, nullable: true }) startedAt!: string | null;
  @Column({ name: 'ended_at', type: 'varchar', length: 40, nullable: true }) endedAt!: string | null;
  @Column({ name: 'task_count', type: 'integer' }) taskCount!: number;
  @Column({ name: 'done_count', type: 'integer' }) doneCount!: number;
}

export const PROJECTION_ENTITIES = [PlanSummaryEntity, MilestoneRow, RiskRow, CheckpointRow, WorkloadRow, RunbookRow];
