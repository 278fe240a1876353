import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { replayStored } from '@bascule/collab';
import { readPlan, RunbookGraph, runbookTiming } from '@bascule/plan-model';
import { DataSource, In } from 'typeorm';
import * as Y from 'yjs';
import { SqlDocumentStore } from '../collab/document.store.js';
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
 * free to start but not started when they should have been, or running past the later of their
 * planned end and their actual start plus their duration (a task waiting for a late one is late too,
 * in the live view, but the webhook tells the cause). Lateness comes from the clock, not from a
 * change, so it is looked for in the running runbooks every few seconds, in the plans as stored
 * (never by loading their collab rooms). Each task is announced once per episode (late to start;
 * late to end, per start), whichever instance sees it first: the alert row and the deliveries are
 * written in one transaction, and the alert's key refuses a second one.
 */
@Injectable()
export class RunbookLateness implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly rounds = new Periodic(
    () => this.round(),
    (error) => this.logger.error({ err: error }, 'runbook lateness round failed; next round in 15 seconds'),
  );

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SqlDocumentStore,
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

  /** Announces the tasks of the running runbooks late at `now` and not announced yet; returns how many. */
  async round(now: Date = this.clock.now()): Promise<number> {
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
      const content = await this.storedContent(plan.id);
      const late = lateTasksOf(plan.id, content, runbooksOf.get(plan.id) ?? new Set(), now);
      for (const task of late) if (await this.announce(plan.organizationId, plan.id, task)) announced += 1;
    }
    return announced;
  }

  /**
   * The plan as stored, read on a document of its own: never through a collab room, whose load would
   * run the load-time corrections and could revert a change another instance stored but has not
   * stamped yet. What is not stamped yet is left for a later round (lateTasksOf).
   */
  private async storedContent(planId: string): Promise<ReturnType<typeof readPlan>> {
    const doc = new Y.Doc();
    try {
      await replayStored(doc, await this.store.load(planId), { onInvalid: () => undefined });
      return readPlan(doc);
    } finally {
      doc.destroy();
    }
  }

  private announce(organizationId: string, planId: string, task: LateTask): Promise<boolean> {
    const key = { planId, taskId: task.taskId, kind: 'late', episode: task.episode };
    return this.transactor.once(RunbookAlertEntity, key, { ...key, sentAt: this.clock.now() }, (manager) =>
      this.webhooks.enqueueIn(manager, organizationId, [task.message]),
    );
  }
}

/**
 * The late tasks of some running runbooks of a plan, at `now`, from the plan as stored. A task free
 * to start and not started is late against its planned start. A running task is late against its
 * own run: past the later of its planned end and its actual start plus its duration (one that waited
 * for a late task and started late is not late for that, the task it waited for was). What the
 * server has not stamped yet (a runbook or a task moved by a client, its verdict still to come) is
 * not judged.
 */
export function lateTasksOf(
  planId: string,
  content: ReturnType<typeof readPlan>,
  runbookIds: ReadonlySet<string>,
  now: Date,
): LateTask[] {
  const late: LateTask[] = [];
  for (const runbook of content.runbooks) {
    if (!runbookIds.has(runbook.id) || runbook.state !== 'RUNNING' || runbook.startedAt === null) continue;
    const graph = new RunbookGraph(content.runbookTasks.filter((task) => task.runbookId === runbook.id));
    const timing = runbookTiming(runbook, graph, now.getTime());
    if (timing.t0 === null) continue;
    const t0 = timing.t0;
    const nowAt = (now.getTime() - t0) / 60_000;
    const instant = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    for (const task of graph.ordered) {
      const found = timing.tasks.get(task.id);
      if (found === undefined || found.stopped) continue;
      let lateMinutes: number;
      if (task.status === 'RUNNING') {
        // Moved by a client and not stamped yet (or not as the server stamps a start): its verdict is to come.
        if (found.actualStart === null || task.endedAt !== null) continue;
        lateMinutes = Math.round(nowAt - Math.max(found.plannedEnd, found.actualStart + (task.duration ?? 0)));
      } else if (task.status === 'PENDING') {
        if (task.startedAt !== null) continue;
        // The causes, not their consequences: a task that waits for a late one is late because of it.
        if (!found.late || found.blockers.length > 0) continue;
        lateMinutes = found.lateMinutes;
      } else continue; // Ended, or failed (told of as runbook.task.failed).
      if (lateMinutes < 1) continue;
      late.push({
        taskId: task.id,
        episode: `${task.status}:${task.startedAt ?? ''}`,
        message: {
          event: 'runbook.task.late',
          planId,
          data: {
            runbookId: runbook.id,
            runbookTitle: runbook.title,
            rehearsal: runbook.kind === 'REHEARSAL',
            taskId: task.id,
            title: task.title,
            stage: task.stage,
            status: task.status,
            ownerId: task.ownerId,
            lateMinutes,
            plannedStart: instant(found.plannedStart),
            plannedEnd: instant(found.plannedEnd),
          },
        },
      });
    }
  }
  return late;
}
