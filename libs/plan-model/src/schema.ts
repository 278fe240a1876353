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
/** A cutover runbook's stages, in the order they run; ROLLBACK tasks run only after a no-go or a failure. */
export const RUNBOOK_STAGES = ['FREEZE', 'BACKUP', 'MIGRATE', 'VALIDATE', 'SWITCH', 'HYPERCARE', 'ROLLBACK'] as const;
/** A live runbook, or a rehearsal: a dry run on a copy of one. */
export const RUNBOOK_KINDS = ['LIVE', 'REHEARSAL'] as const;
export const RUNBOOK_STATES = ['PLANNING', 'RUNNING', 'COMPLETED', 'ABORTED'] as const;
/** A task to do, or a go / no-go decision point that approvers vote on. */
export const TASK_KINDS = ['TASK', 'DECISION'] as const;
export const TASK_STATUSES = ['PENDING', 'RUNNING', 'DONE', 'FAILED', 'SKIPPED'] as const;
export const VOTES = ['GO', 'NO_GO'] as const;
/** What a comment is about: the plan itself, or an entry of one of these collections. */
export const COMMENT_SUBJECTS = ['plan', 'milestones', 'risks', 'checkpoints', 'workloads', 'runbookTasks'] as const;
/** A thread (its first comment) is open until someone resolves it; it may be reopened. */
export const THREAD_STATES = ['OPEN', 'RESOLVED'] as const;

export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type DataSensitivity = (typeof DATA_SENSITIVITIES)[number];
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];
export type RiskStatus = (typeof RISK_STATUSES)[number];
export type RiskCategory = (typeof RISK_CATEGORIES)[number];
export type CheckpointStatus = (typeof CHECKPOINT_STATUSES)[number];
export type Criticality = (typeof CRITICALITIES)[number];
export type Strategy = (typeof STRATEGIES)[number];
export type RunbookStage = (typeof RUNBOOK_STAGES)[number];
export type RunbookKind = (typeof RUNBOOK_KINDS)[number];
export type RunbookState = (typeof RUNBOOK_STATES)[number];
export type TaskKind = (typeof TASK_KINDS)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];
export type Vote = (typeof VOTES)[number];
export type CommentSubject = (typeof COMMENT_SUBJECTS)[number];
export type ThreadState = (typeof THREAD_STATES)[number];

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
  | { readonly type: 'ref'; readonly ref: CollectionName; readonly required?: true }
  | { readonly type: 'strings'; readonly max: number; readonly itemMax: number }
  | { readonly type: 'rich'; readonly max: number }
  | { readonly type: 'links'; readonly max: number };

/** The plan's own collections: what baselines keep and compare. */
export const PLAN_COLLECTIONS = ['milestones', 'risks', 'checkpoints', 'workloads'] as const;
/** A plan's cutover runbooks: the runbooks, their tasks, and the votes on their go / no-go points. */
export const RUNBOOK_COLLECTIONS = ['runbooks', 'runbookTasks', 'runbookVotes'] as const;
/** The conversation on a plan: comments on its entries and on the plan itself, in threads. */
export const CONVERSATION_COLLECTIONS = ['comments'] as const;
export const COLLECTIONS = [...PLAN_COLLECTIONS, ...RUNBOOK_COLLECTIONS, ...CONVERSATION_COLLECTIONS] as const;
export type PlanCollectionName = (typeof PLAN_COLLECTIONS)[number];
export type RunbookCollectionName = (typeof RUNBOOK_COLLECTIONS)[number];
/** The collections whose entries have an owner who is a member (`ownerId`): who is notified of them. */
export const ASSIGNABLE_COLLECTIONS = ['milestones', 'risks', 'checkpoints'] as const;
export type AssignableCollectionName = (typeof ASSIGNABLE_COLLECTIONS)[number];
export type CollectionName = (typeof COLLECTIONS)[number];

/** Minutes, for runbook offsets and durations: at most a year either way. */
const MINUTES = 525_600;

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
    /** The member in charge (a user id): shown as the owner, notified of what happens to it. */
    ownerId: { type: 'string', max: 64 },
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
    /** The member in charge (a user id): shown as the owner, notified of what happens to it. */
    ownerId: { type: 'string', max: 64 },
    mitigation: { type: 'text', max: 20_000 },
    /** Set by the server on risks it raises itself (for example `eligibility`); users may not forge it. */
    automatic: { type: 'string', max: 64 },
  },
  checkpoints: {
    title: { type: 'string', max: 300, required: true },
    framework: { type: 'string', max: 64, required: true },
    requirement: { type: 'string', max: 64 },
    status: { type: 'enum', values: CHECKPOINT_STATUSES, fallback: 'TODO' },
    /** The member in charge (a user id): shown as the owner, notified of what happens to it. */
    ownerId: { type: 'string', max: 64 },
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
  runbooks: {
    title: { type: 'string', max: 200, required: true },
    kind: { type: 'enum', values: RUNBOOK_KINDS, fallback: 'LIVE' },
    /** On a rehearsal: the runbook it is a copy of. */
    rehearsalOf: { type: 'ref', ref: 'runbooks' },
    /** What the runbook cuts over: a milestone (its gates gate the go / no-go points), a wave, or the plan. */
    milestoneId: { type: 'ref', ref: 'milestones' },
    wave: { type: 'int', min: 0, max: 99 },
    /** The planned start of the cutover, which task offsets count from. */
    t0: { type: 'instant' },
    /** PLANNING until started (then tasks may start), until completed or aborted; judged by the server. */
    state: { type: 'enum', values: RUNBOOK_STATES, fallback: 'PLANNING' },
    startedAt: { type: 'instant' },
    endedAt: { type: 'instant' },
  },
  runbookTasks: {
    runbookId: { type: 'ref', ref: 'runbooks', required: true },
    title: { type: 'string', max: 200, required: true },
    kind: { type: 'enum', values: TASK_KINDS, fallback: 'TASK' },
    stage: { type: 'enum', values: RUNBOOK_STAGES, fallback: 'MIGRATE' },
    /** A member's user id: who runs it (with the plan's owners and editors). */
    ownerId: { type: 'string', max: 64 },
    team: { type: 'string', max: 100 },
    /** Planned start in minutes from T0 (negative before it); with none, as soon as its predecessors end. */
    startOffset: { type: 'int', min: -MINUTES, max: MINUTES },
    /** A planned start at a fixed instant, which wins over `startOffset`. */
    startAt: { type: 'instant' },
    /** Planned duration in minutes. */
    duration: { type: 'int', min: 0, max: MINUTES },
    dependsOn: { type: 'ids', ref: 'runbookTasks', max: 100 },
    workloadIds: { type: 'ids', ref: 'workloads', max: 100 },
    /** Compliance checkpoints a go / no-go point may not pass while they are open (beside its milestone's). */
    checkpointIds: { type: 'ids', ref: 'checkpoints', max: 100 },
    /** On a go / no-go point: the members (user ids) whose vote it needs; none means any owner or approver. */
    approverIds: { type: 'strings', max: 20, itemMax: 64 },
    instructions: { type: 'rich', max: 20_000 },
    verification: { type: 'text', max: 5_000 },
    /** The task (in the ROLLBACK stage) that undoes this one. */
    rollbackTaskId: { type: 'ref', ref: 'runbookTasks' },
    /** On a rehearsal's task: the task of the runbook it copies. */
    sourceTaskId: { type: 'string', max: 64 },
    /** Execution: set by owners, judged by the server (start rules), which stamps the times and names. */
    status: { type: 'enum', values: TASK_STATUSES, fallback: 'PENDING' },
    /** Why a task failed or was skipped: required for both. */
    reason: { type: 'string', max: 1_000 },
    startedAt: { type: 'instant' },
    startedBy: { type: 'string', max: 200 },
    endedAt: { type: 'instant' },
    endedBy: { type: 'string', max: 200 },
    /** On a go / no-go point: what the votes decided; written by the server only. */
    decision: { type: 'enum', values: ['PENDING', ...VOTES], fallback: 'PENDING' },
  },
  runbookVotes: {
    taskId: { type: 'ref', ref: 'runbookTasks', required: true },
    vote: { type: 'enum', values: VOTES, fallback: 'NO_GO' },
    comment: { type: 'string', max: 1_000 },
    /** Who voted and when: stamped by the server. */
    voterId: { type: 'string', max: 64 },
    voterName: { type: 'string', max: 200 },
    at: { type: 'instant' },
  },
  comments: {
    subject: { type: 'enum', values: COMMENT_SUBJECTS, fallback: 'plan' },
    /** The entry commented on, in the `subject` collection; none for the plan. Kept if the entry is deleted. */
    entryId: { type: 'string', max: 64 },
    /** On a reply: its thread, the id of the thread's first comment; none on a first comment. */
    threadId: { type: 'string', max: 64 },
    /** Markdown-light text (bold, italic, code, links, lists), with mentions as `@[Name](user:<id>)`. */
    body: { type: 'string', max: 10_000, required: true },
    /** On a thread's first comment: whether the thread is resolved. */
    state: { type: 'enum', values: THREAD_STATES, fallback: 'OPEN' },
    /** Who wrote it and when, when it was last edited, who resolved the thread: stamped by the server. */
    authorId: { type: 'string', max: 64 },
    authorName: { type: 'string', max: 200 },
    createdAt: { type: 'instant' },
    editedAt: { type: 'instant' },
    resolvedBy: { type: 'string', max: 200 },
    resolvedAt: { type: 'instant' },
  },
} as const satisfies Record<CollectionName, Record<string, FieldSpec>>;

/** How a task runs (its status, why, the server's stamps, its decision), as against its plan (every other field). */
export const TASK_EXECUTION_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'reason',
  'startedAt',
  'startedBy',
  'endedAt',
  'endedBy',
  'decision',
]);

/** Fields a client never writes: the server stamps them (a client's write is reverted, `SERVER_FIELD`). */
export const SERVER_FIELDS: { readonly [C in CollectionName]?: readonly string[] } = {
  risks: ['automatic'],
  runbooks: ['startedAt', 'endedAt'],
  runbookTasks: ['startedAt', 'startedBy', 'endedAt', 'endedBy', 'decision'],
  runbookVotes: ['voterId', 'voterName', 'at'],
  comments: ['authorId', 'authorName', 'createdAt', 'editedAt', 'resolvedBy', 'resolvedAt'],
};

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
  readonly ownerId: string | null;
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
  readonly ownerId: string | null;
  readonly mitigation: string;
  readonly automatic: string | null;
}

export interface Checkpoint extends Entry {
  readonly title: string;
  readonly framework: string;
  readonly requirement: string | null;
  readonly status: CheckpointStatus;
  readonly ownerId: string | null;
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

export interface Runbook extends Entry {
  readonly title: string;
  readonly kind: RunbookKind;
  readonly rehearsalOf: string | null;
  readonly milestoneId: string | null;
  readonly wave: number | null;
  readonly t0: string | null;
  readonly state: RunbookState;
  readonly startedAt: string | null;
  readonly endedAt: string | null;
}

export interface RunbookTask extends Entry {
  readonly runbookId: string | null;
  readonly title: string;
  readonly kind: TaskKind;
  readonly stage: RunbookStage;
  readonly ownerId: string | null;
  readonly team: string | null;
  readonly startOffset: number | null;
  readonly startAt: string | null;
  readonly duration: number | null;
  readonly dependsOn: readonly string[];
  readonly workloadIds: readonly string[];
  readonly checkpointIds: readonly string[];
  readonly approverIds: readonly string[];
  /** The rich instructions as plain text, one line per block. */
  readonly instructions: string;
  readonly verification: string;
  readonly rollbackTaskId: string | null;
  readonly sourceTaskId: string | null;
  readonly status: TaskStatus;
  readonly reason: string | null;
  readonly startedAt: string | null;
  readonly startedBy: string | null;
  readonly endedAt: string | null;
  readonly endedBy: string | null;
  readonly decision: 'PENDING' | Vote;
}

export interface RunbookVote extends Entry {
  readonly taskId: string | null;
  readonly vote: Vote;
  readonly comment: string | null;
  readonly voterId: string | null;
  readonly voterName: string | null;
  readonly at: string | null;
}

export interface Comment extends Entry {
  readonly subject: CommentSubject;
  readonly entryId: string | null;
  readonly threadId: string | null;
  readonly body: string;
  readonly state: ThreadState;
  readonly authorId: string | null;
  readonly authorName: string | null;
  readonly createdAt: string | null;
  readonly editedAt: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
}

export interface EntityOf {
  milestones: Milestone;
  risks: Risk;
  checkpoints: Checkpoint;
  workloads: Workload;
  runbooks: Runbook;
  runbookTasks: RunbookTask;
  runbookVotes: RunbookVote;
  comments: Comment;
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
  readonly runbooks: readonly Runbook[];
  readonly runbookTasks: readonly RunbookTask[];
  readonly runbookVotes: readonly RunbookVote[];
  readonly comments: readonly Comment[];
  /** The notes as plain text, paragraphs separated by blank lines (for search and exports). */
  readonly notesText: string;
  readonly issues: readonly ValidationIssue[];
}
