import { DEFAULT_LANGUAGE, type Language, LANGUAGES } from './language.js';

/**
 * The plan document schema: what lives where in a plan's Yjs document. docs/plan-document.md is the
 * public contract derived from this file; third-party Yjs clients rely on it.
 */

export const PLAN_STATUSES = ['DRAFT', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED'] as const;
export const DATA_SENSITIVITIES = ['PUBLIC', 'INTERNAL', 'SENSITIVE', 'HEALTH'] as const;
export const MILESTONE_KINDS = [
  'DISCOVERY',
  'ASSESSMENT',
  'LANDING_ZONE',
  'PILOT',
  'WAVE',
  'CUTOVER',
  'DECOMMISSION',
  'OTHER',
] as const;
export const MILESTONE_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'DONE', 'BLOCKED'] as const;
export const RISK_STATUSES = ['OPEN', 'MITIGATING', 'ACCEPTED', 'CLOSED'] as const;
export const RISK_CATEGORIES = [
  'FEATURE_GAP',
  'QUALIFICATION',
  'EXTRATERRITORIAL_LAW',
  'DOWNTIME',
  'SKILLS',
  'LOCK_IN',
  'COST',
  'OTHER',
] as const;
export const CHECKPOINT_STATUSES = ['TODO', 'IN_REVIEW', 'PASSED', 'FAILED', 'WAIVED'] as const;
export const CRITICALITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export const STRATEGIES = ['REHOST', 'REPLATFORM', 'REFACTOR', 'REPURCHASE', 'RETIRE', 'RETAIN'] as const;

export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type DataSensitivity = (typeof DATA_SENSITIVITIES)[number];
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];
export type RiskStatus = (typeof RISK_STATUSES)[number];
export type RiskCategory = (typeof RISK_CATEGORIES)[number];
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
export type Criticality = (typeof CRITICALITIES)[number];
export type Strategy = (typeof STRATEGIES)[number];

/** A calendar date, `YYYY-MM-DD`, without time zone: milestones are due on a day, not at an instant. */
export type IsoDate = string;

/**
 * How one field is stored in an entry's Y.Map. `text` fields are Y.Text (co-edited character by
 * character); `ids` and `links` are Y.Array<string>; everything else is a plain value, last writer wins.
 */
export type FieldSpec =
  | { readonly type: 'string'; readonly max: number; readonly required?: true }
  | { readonly type: 'text'; readonly max: number }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly fallback: string }
  | { readonly type: 'score'; readonly fallback: number }
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'date' }
  | { readonly type: 'instant' }
  | { readonly type: 'ids'; readonly ref: CollectionName; readonly max: number }
  | { readonly type: 'links'; readonly max: number };

export const COLLECTIONS = ['milestones', 'risks', 'checkpoints', 'workloads'] as const;
export type CollectionName = (typeof COLLECTIONS)[number];

/** The root map: `doc.getMap('plan')`. */
export const META_FIELDS = {
  title: { type: 'string', max: 200, required: true },
  status: { type: 'enum', values: PLAN_STATUSES, fallback: 'DRAFT' },
  sourcePlatform: { type: 'string', max: 200 },
  targetOfferId: { type: 'string', max: 64 },
  dataSensitivity: { type: 'enum', values: DATA_SENSITIVITIES, fallback: 'INTERNAL' },
  startDate: { type: 'date' },
  targetDate: { type: 'date' },
  description: { type: 'text', max: 20_000 },
  /** The language Bascule writes this plan's texts in (automatic risks, reports); its creator's. */
  language: { type: 'enum', values: LANGUAGES, fallback: DEFAULT_LANGUAGE },
} as const satisfies Record<string, FieldSpec>;

/** Each collection is `doc.getMap(name)`: entry id -> Y.Map holding `id`, `position` and these fields. */
export const ENTITY_FIELDS = {
  milestones: {
    title: { type: 'string', max: 200, required: true },
    kind: { type: 'enum', values: MILESTONE_KINDS, fallback: 'OTHER' },
    status: { type: 'enum', values: MILESTONE_STATUSES, fallback: 'NOT_STARTED' },
    owner: { type: 'string', max: 200 },
    startDate: { type: 'date' },
    dueDate: { type: 'date' },
    completedOn: { type: 'date' },
    dependsOn: { type: 'ids', ref: 'milestones', max: 100 },
  },
  risks: {
    title: { type: 'string', max: 200, required: true },
    category: { type: 'enum', values: RISK_CATEGORIES, fallback: 'OTHER' },
    likelihood: { type: 'score', fallback: 3 },
    impact: { type: 'score', fallback: 3 },
    status: { type: 'enum', values: RISK_STATUSES, fallback: 'OPEN' },
    owner: { type: 'string', max: 200 },
    mitigation: { type: 'text', max: 20_000 },
    /** Set by the server on risks it raises itself (for example `eligibility`); users may not forge it. */
    automatic: { type: 'string', max: 64 },
  },
  checkpoints: {
    title: { type: 'string', max: 300, required: true },
    framework: { type: 'string', max: 64, required: true },
    requirement: { type: 'string', max: 64 },
    status: { type: 'enum', values: CHECKPOINT_STATUSES, fallback: 'TODO' },
    evidence: { type: 'links', max: 50 },
    milestoneIds: { type: 'ids', ref: 'milestones', max: 100 },
    approvedBy: { type: 'string', max: 200 },
    approvedAt: { type: 'instant' },
    justification: { type: 'text', max: 5_000 },
  },
  workloads: {
    name: { type: 'string', max: 200, required: true },
    criticality: { type: 'enum', values: CRITICALITIES, fallback: 'MEDIUM' },
    dataClassification: { type: 'enum', values: DATA_SENSITIVITIES, fallback: 'INTERNAL' },
    strategy: { type: 'enum', values: STRATEGIES, fallback: 'REHOST' },
    targetOfferId: { type: 'string', max: 64 },
    owner: { type: 'string', max: 200 },
    wave: { type: 'int', min: 0, max: 99 },
    dependsOn: { type: 'ids', ref: 'workloads', max: 100 },
  },
} as const satisfies Record<CollectionName, Record<string, FieldSpec>>;

/** The rich notes: `doc.getXmlFragment('notes')`, ProseMirror nodes as TipTap's collaboration extension writes them. */
export const NOTES_FIELD = 'notes';
export const META_MAP = 'plan';

interface Entry {
  readonly id: string;
  /** Order among siblings: ascending, ties broken by id. Reordering changes one entry's position. */
  readonly position: number;
}

export interface PlanMeta {
  readonly schemaVersion: number;
  readonly title: string;
  readonly status: PlanStatus;
  readonly sourcePlatform: string | null;
  readonly targetOfferId: string | null;
  readonly dataSensitivity: DataSensitivity;
  readonly startDate: IsoDate | null;
  readonly targetDate: IsoDate | null;
  readonly description: string;
  readonly language: Language;
}

export interface Milestone extends Entry {
  readonly title: string;
  readonly kind: MilestoneKind;
  readonly status: MilestoneStatus;
  readonly owner: string | null;
  readonly startDate: IsoDate | null;
  readonly dueDate: IsoDate | null;
  readonly completedOn: IsoDate | null;
  readonly dependsOn: readonly string[];
}

export interface Risk extends Entry {
  readonly title: string;
  readonly category: RiskCategory;
  readonly likelihood: number;
  readonly impact: number;
  readonly status: RiskStatus;
  readonly owner: string | null;
  readonly mitigation: string;
  readonly automatic: string | null;
}

export interface Checkpoint extends Entry {
  readonly title: string;
  readonly framework: string;
  readonly requirement: string | null;
  readonly status: CheckpointStatus;
  readonly evidence: readonly string[];
  readonly milestoneIds: readonly string[];
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly justification: string;
}

export interface Workload extends Entry {
  readonly name: string;
  readonly criticality: Criticality;
  readonly dataClassification: DataSensitivity;
  readonly strategy: Strategy;
  readonly targetOfferId: string | null;
  readonly owner: string | null;
  readonly wave: number | null;
  readonly dependsOn: readonly string[];
}

export interface EntityOf {
  milestones: Milestone;
  risks: Risk;
  checkpoints: Checkpoint;
  workloads: Workload;
}

/** Something in the document that does not follow the schema; the reader skipped or replaced it. */
export interface ValidationIssue {
  /** Where: `plan/title`, `milestones/<id>/dueDate`, `risks/<id>`. */
  readonly path: string;
  readonly message: string;
}

/** A whole plan as read from its document: typed, validated, every collection in display order. */
export interface PlanContent {
  readonly meta: PlanMeta;
  readonly milestones: readonly Milestone[];
  readonly risks: readonly Risk[];
  readonly checkpoints: readonly Checkpoint[];
  readonly workloads: readonly Workload[];
  /** The notes as plain text, paragraphs separated by blank lines (for search and exports). */
  readonly notesText: string;
  readonly issues: readonly ValidationIssue[];
}
