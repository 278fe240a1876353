import type { ChangeAuthor } from '@bascule/collab';
import type { DomainChange, PlanTracker, Refusal } from '@bascule/plan-model';
import type * as Y from 'yjs';

/**
 * What one transaction changed on a plan, for those who follow changes (baselines, webhooks): the
 * governance watcher emits it, followers read it. `doc` and `tracker` may be read during the call
 * only, never changed.
 */
export interface PlanChanged {
  readonly planId: string;
  readonly author: ChangeAuthor;
  readonly changes: readonly DomainChange[];
  /** Rules the change broke: what they concern was reverted. */
  readonly refusals: readonly Refusal[];
  readonly at: Date;
  readonly doc: Y.Doc;
  readonly tracker: PlanTracker;
}
