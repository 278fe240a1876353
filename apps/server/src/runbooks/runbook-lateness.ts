import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { readPlan, RunbookGraph, runbookTiming } from '@bascule/plan-model';
import { DataSource, In } from 'typeorm';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { Periodic } from '../common/periodic.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import { Transactor } from '../database/transactor.js';
import type { Logger } from '../logging/logger.js';
import { PlanEntity } from '../plans/entities.js';
import { RunbookRow } from '../projection/entities.js';
import { type PlanMessage, WebhooksService } from '../webhooks/webhooks.service.js';
import { RunbookAlertEntity } from './runbook-alert.entity.js';

/** How often the worker looks for late tasks: a late task is announced within this much. */
const INTERVAL_MS = 15_000;

/** A late task as the webhook tells it, with what makes its episode. */
interface LateTask {
  readonly taskId: string;
  readonly episode: string;
  readonly message: PlanMessage;
}

/**
 * Worker role: tells the organization's webhooks of runbook tasks that are late (`runbook.task.late`):
 * free to start but not started when they should have been, or still running past their planned
 * end (a task waiting for a late one is late too, in the live view, but the webhook tells the cause). Lateness comes from
 * the clock, not from a change, so it is looked for in the running runbooks every few seconds. Each
 * task is announced once per episode (late to start; late to end, per start), whichever instance
 * sees it first: the alert row and the deliveries are written in one transaction, and the alert's
 * key refuses a second one.
 */
@Injectable()
export class RunbookLateness implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    () => this.round(),
    (error) => this.logger.error({ err: error }, 'runbook lateness round failed; next round in 15 seconds'),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: PlanDocumentService,
    private readonly webhooks: WebhooksService,
    private readonly transactor: Transactor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.roles.includes('worker')) this.rounds.start(INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rounds.stop();
  }

  /** Announces the late tasks of the running runbooks not announced yet; returns how many. */
  async round(): Promise<number> {
    const running = await this.dataSource.getRepository(RunbookRow).find({
      where: { state: 'RUNNING' },
      select: { planId: true, id: true },
    });
    if (running.length === 0) return 0;
    const runbooksOf = new Map<string, Set<string>>();
    for (const row of running) runbooksOf.set(row.planId, (runbooksOf.get(row.planId) ?? new Set()).add(row.id));
    const plans = await this.dataSource.getRepository(PlanEntity).find({
      where: { id: In([...runbooksOf.keys()]) },
      select: { id: true, organizationId: true },
    });
    let announced = 0;
    for (const plan of plans) {
      const late = await this.documents.inspect(plan.id, (doc) =>
        lateTasksOf(plan.id, readPlan(doc), runbooksOf.get(plan.id) ?? new Set(), this.clock.now()),
      );
      for (const task of late) if (await this.announce(plan.organizationId, plan.id, task)) announced += 1;
    }
    return announced;
  }

  private async announce(organizationId: string, planId: string, task: LateTask): Promise<boolean> {
    const key = { planId, taskId: task.taskId, kind: 'late', episode: task.episode };
    try {
      return await this.transactor.run(async (manager) => {
        if ((await manager.countBy(RunbookAlertEntity, key)) > 0) return false;
        await manager.insert(RunbookAlertEntity, { ...key, sentAt: this.clock.now() });
        await this.webhooks.enqueueIn(manager, organizationId, [task.message]);
        return true;
      });
    } catch (error) {
      // Another instance announced it between the count and the insert: its key refused ours.
      if ((await this.dataSource.getRepository(RunbookAlertEntity).countBy(key)) > 0) return false;
      throw error;
    }
  }
}

/** The late tasks of some running runbooks of a plan, at `now`. */
export function lateTasksOf(
  planId: string,
  content: ReturnType<typeof readPlan>,
  runbookIds: ReadonlySet<string>,
  now: Date,
): LateTask[] {
  const late: LateTask[] = [];
  for (const runbook of content.runbooks) {
    if (!runbookIds.has(runbook.id) || runbook.state !== 'RUNNING') continue;
    const graph = new RunbookGraph(content.runbookTasks.filter((task) => task.runbookId === runbook.id));
    const timing = runbookTiming(runbook, graph, now.getTime());
    const instant = (minutes: number) =>
      timing.t0 === null ? null : new Date(timing.t0 + minutes * 60_000).toISOString();
    for (const task of graph.ordered) {
      const found = timing.tasks.get(task.id);
      if (found === undefined || !found.late || found.lateMinutes < 1) continue;
      // The causes, not their consequences: a task that waits for a late one is late because of it;
      // a failed one was told of as failed (runbook.task.failed).
      if (task.status !== 'RUNNING' && (task.status !== 'PENDING' || found.blockers.length > 0)) continue;
      late.push({
        taskId: task.id,
        episode: `${task.status}:${task.startedAt ?? ''}`,
        message: {
          event: 'runbook.task.late',
          planId,
          data: {
            runbookId: runbook.id,
            runbookTitle: runbook.title,
            taskId: task.id,
            title: task.title,
            stage: task.stage,
            status: task.status,
            ownerId: task.ownerId,
            lateMinutes: found.lateMinutes,
            plannedStart: instant(found.plannedStart),
            plannedEnd: instant(found.plannedEnd),
          },
        },
      });
    }
  }
  return late;
}
