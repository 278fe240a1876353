import type { Localized } from './language.js';
import type { RunbookStage } from './schema.js';

/** One task of a runbook template; `key` names it for `after` and `rollback` within the template. */
export interface RunbookTemplateTask {
  readonly key: string;
  readonly stage: RunbookStage;
  /** A go / no-go decision point rather than a task. */
  readonly decision?: true;
  readonly title: Localized;
  /** The team that runs it (for example "Messagerie" / "Messaging"). */
  readonly team: Localized;
  /** Planned start in minutes from T0 (negative before it); without one, as soon as `after` is done. */
  readonly startOffset?: number;
  /** Planned duration in minutes. */
  readonly duration: number;
  /** Keys of earlier tasks that must be done (or skipped) before this one starts. */
  readonly after?: readonly string[];
  readonly instructions: Localized;
  readonly verification: Localized;
  /** Key of the ROLLBACK-stage task that undoes this one. */
  readonly rollback?: string;
}

/** A realistic runbook to start from, for the plans of some plan templates. */
export interface RunbookTemplate {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  /** The plan templates (ids in templates.ts) it suits; the first suggestion for those plans. */
  readonly planTemplates: readonly string[];
  readonly tasks: readonly RunbookTemplateTask[];
}
