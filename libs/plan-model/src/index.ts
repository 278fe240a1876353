export * from './analytics.js';
export { addDays, dayOf, daysBetween, isIsoDate } from './dates.js';
export { isLink, readPlan } from './document.js';
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
export { applyTemplate, findTemplate, PLAN_TEMPLATES, type PlanTemplate } from './templates.js';
export { eligibilityRisksInStep, syncEligibilityRisks } from './automatic-risks.js';
