import { Injectable } from '@nestjs/common';
import { replayStored } from '@bascule/collab';
import * as Y from 'yjs';
import { SqlDocumentStore } from '../collab/document.store.js';
import { PlanProjector } from './plan-projector.js';
import { stateOf } from './projector.js';
import { type PlanRef, ProjectionRepository } from './projection.repository.js';

export interface RebuildProgress {
  readonly done: number;
  readonly total: number;
  readonly planId: string;
  readonly organizationId: string;
  /** Whether its rows were rewritten (not when they already held this state). */
  readonly written: boolean;
  /** Why it failed, when it did. */
  readonly error: string | null;
}

/**
 * Projects plans again from their stored documents, without loading them into the collab engine and
 * without changing them: the CLI rebuild, and the worker's daily refresh of date-dependent figures.
 */
@Injectable()
export class ProjectionRebuilder {
  constructor(
    private readonly store: SqlDocumentStore,
    private readonly projector: PlanProjector,
    private readonly repository: ProjectionRepository,
  ) {}

  async rebuildAll(onProgress: (progress: RebuildProgress) => void = () => undefined): Promise<{ failed: string[] }> {
    return this.rebuild(await this.repository.allPlans(), onProgress);
  }

  async rebuild(
    plans: readonly PlanRef[],
    onProgress: (progress: RebuildProgress) => void | Promise<void>,
  ): Promise<{ failed: string[] }> {
    const failed: string[] = [];
    for (const [index, plan] of plans.entries()) {
      let error: string | null = null;
      let written = false;
      try {
        written = await this.rebuildOne(plan);
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
        failed.push(plan.id);
      }
      await onProgress({
        done: index + 1,
        total: plans.length,
        planId: plan.id,
        organizationId: plan.organizationId,
        written,
        error,
      });
    }
    return { failed };
  }

  private async rebuildOne(plan: PlanRef): Promise<boolean> {
    const doc = new Y.Doc();
    try {
      await replayStored(doc, await this.store.load(plan.id), { onInvalid: () => undefined });
      const { projected } = await this.projector.compute(plan, stateOf(doc));
      return await this.projector.write(projected);
    } finally {
      doc.destroy();
    }
  }
}
