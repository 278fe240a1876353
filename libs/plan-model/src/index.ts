export * from './analytics.js';
export { addDays, dayOf, daysBetween, isIsoDate } from './dates.js';
export { isLink, MENTION_NODE, mentionsInFragment, readEntryValues, readPlan } from './document.js';
export {
  createEntry,
  deleteEntry,
  initializePlan,
  moveEntry,
  PlanInputError,
  UnknownEntryError,
  updateEntry,
  updateMeta,
  type WriteOptions,
} from './edit.js';
export * from './eligibility.js';
export {
  assertEditable,
  currentSchemaVersionOf,
  migratePlan,
  type MigrationContext,
  NewerSchemaError,
} from './migrations.js';
export * from './schema.js';
export { PLAN_SCHEMA_VERSION } from './schema-version.js';
export {
  applyTemplate,
  findTemplate,
  localizeTemplate,
  type LocalizedTemplate,
  PLAN_TEMPLATES,
  type PlanTemplate,
} from './templates.js';
export { eligibilityRisksInStep, syncEligibilityRisks } from './automatic-risks.js';
export {
  applyCorrections,
  type ChangeActor,
  type Correction,
  type DomainChange,
  governedChange,
  GovernanceError,
  type GovernedPart,
  PlanTracker,
  type Refusal,
  type RefusalCode,
  reviewChanges,
  reviewState,
  unstampedEntries,
  type Review,
} from './governance.js';
export {
  criticalPath,
  type CriticalPath,
  cyclesFromIssues,
  type DependencyCycle,
  planWaves,
  previewSlip,
  type SlipImpact,
  type Wave,
  type WavePlan,
} from './scheduling.js';
export {
  type BaselineContent,
  baselineOf,
  type CollectionDifference,
  comparePlans,
  type EntryDifference,
  type FieldDifference,
  type PlanDifference,
  restoreBaseline,
} from './baselines.js';
export { applyInventory, type InventoryPreview, type InventoryRow, previewInventory } from './inventory.js';
export * from './language.js';
export { ENUM_WORDS, type EnumWord } from './enum-words.js';
export { CLEARED_STATUSES, isCleared } from './checkpoint-status.js';
export * from './runbook.js';
export { describeBlockers, mayActOn, mayVoteOn } from './runbook-rules.js';
export {
  applyRehearsalDurations,
  applyRunbookTemplate,
  copyForRehearsal,
  findRunbookTemplate,
  type NewRunbook,
  RUNBOOK_TEMPLATES,
  runbookTemplatesFor,
  type RunbookTemplate,
  type RunbookTemplateTask,
} from './runbook-edit.js';
export { fragmentText, richFieldOf } from './document.js';
export {
  commentBlocks,
  type CommentBlock,
  commentPlainText,
  type CommentSpan,
  type CommentThread,
  commentThreads,
  mentionOf,
  mentionsIn,
} from './comments.js';
export {
  channelsOf,
  isNotificationKind,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_KINDS,
  type NotificationChannel,
  type NotificationKind,
} from './notification-kinds.js';
