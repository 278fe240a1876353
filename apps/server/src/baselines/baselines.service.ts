import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { ChangeAuthor } from '@bascule/collab';
import { type BaselineContent, baselineOf, comparePlans, type PlanDifference, readPlan } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { AppError } from '../common/errors.js';
import { InFlight } from '../common/in-flight.js';
import { CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { PlanChanged } from '../changes/plan-changed.js';
import { ChangeWatcher } from '../changes/change-watcher.js';
import type { Logger } from '../logging/logger.js';
import { BaselineEntity, type BaselineReason } from './baseline.entity.js';

export const MAX_BASELINES_LISTED = 500;

/**
 * Named versions of plans: saved by people, and one automatically each time a milestone is completed
 * (on the instance that stored the change). Compared field by field with plan-model's comparePlans.
 */
@Injectable()
export class BaselinesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stopListening: (() => void) | undefined;
  private readonly writing = new InFlight();

  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: PlanDocumentService,
    private readonly watcher: ChangeWatcher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.stopListening = this.watcher.onChange((event) => this.onChanged(event));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.writing.settled();
  }

  /** Saves the plan's current content under `name`. */
  async create(
    planId: string,
    author: ChangeAuthor,
    name: string,
    reason: BaselineReason = 'MANUAL',
  ): Promise<BaselineEntity> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200)
      throw new AppError('BAD_USER_INPUT', 'A baseline needs a name of 1 to 200 characters.', { field: 'name' });
    const content = await this.current(planId);
    return this.insert(planId, author, trimmed, reason, null, content, this.clock.now());
  }

  list(planId: string): Promise<BaselineEntity[]> {
    return this.dataSource
      .getRepository(BaselineEntity)
      .find({ where: { planId }, order: { createdAt: 'DESC' }, take: MAX_BASELINES_LISTED });
  }

  /** A baseline of this plan; NOT_FOUND for an unknown id or another plan's. */
  async get(planId: string, id: string): Promise<BaselineEntity> {
    const baseline = await this.dataSource.getRepository(BaselineEntity).findOneBy({ id, planId });
    if (baseline === null) throw new AppError('NOT_FOUND', `There is no baseline ${id} of this plan.`);
    return baseline;
  }

  contentOf(baseline: BaselineEntity): BaselineContent {
    return JSON.parse(baseline.content) as BaselineContent;
  }

  /** What changed from baseline `fromId` to baseline `toId`, or to the plan as it is now. */
  async compare(planId: string, fromId: string, toId: string | null): Promise<PlanDifference> {
    const from = this.contentOf(await this.get(planId, fromId));
    const to = toId === null ? await this.current(planId) : this.contentOf(await this.get(planId, toId));
    return comparePlans(from, to);
  }

  current(planId: string): Promise<BaselineContent> {
    return this.documents.inspect(planId, (doc) => baselineOf(readPlan(doc)));
  }

  /** A milestone set to DONE (and not reverted by a rule): the plan as it is then becomes a baseline. */
  private onChanged(event: PlanChanged): void {
    const refused = new Set(event.refusals.map((refusal) => refusal.entryId));
    const completed = event.changes.filter(
      (change) =>
        change.collection === 'milestones' &&
        change.entryId !== null &&
        !refused.has(change.entryId) &&
        (change.action === 'updated'
          ? change.field === 'status' && change.after === 'DONE'
          : change.action === 'created' && (change.after as { status?: string }).status === 'DONE'),
    );
    if (completed.length === 0) return;
    const content = baselineOf(readPlan(event.doc));
    for (const change of completed) {
      const milestoneId = change.entryId as string;
      const title = content.milestones.find((milestone) => milestone.id === milestoneId)?.title ?? milestoneId;
      const done = this.insert(
        event.planId,
        event.author,
        `${title} completed`.slice(0, 200),
        'MILESTONE_COMPLETED',
        milestoneId,
        content,
        event.at,
      ).catch((error: unknown) =>
        this.logger.error({ err: error, planId: event.planId }, 'the baseline of a completed milestone was not saved'),
      );
      this.writing.track(done);
    }
  }

  private async insert(
    planId: string,
    author: ChangeAuthor,
    name: string,
    reason: BaselineReason,
    milestoneId: string | null,
    content: BaselineContent,
    at: Date,
  ): Promise<BaselineEntity> {
    const baseline: BaselineEntity = {
      id: randomUUID(),
      planId,
      name,
      reason,
      milestoneId,
      createdAt: at,
      createdByKind: author.kind,
      createdById: author.kind === 'apiToken' ? author.apiTokenId : author.userId,
      createdByName: author.name.slice(0, 200),
      content: JSON.stringify(content),
    };
    await this.dataSource.getRepository(BaselineEntity).insert(baseline);
    return baseline;
  }
}
