import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, Inject } from '@nestjs/common';
import { isCleared, riskScore } from '@bascule/plan-model';
import { DataSource } from 'typeorm';
import { InFlight } from '../common/in-flight.js';
import { LOGGER } from '../core.module.js';
import { GovernanceWatcher, type PlanChanged } from '../governance/governance.watcher.js';
import type { Logger } from '../logging/logger.js';
import { PlanOrganizations } from '../plans/plan-organizations.js';
import { type WebhookMessage, WebhooksService } from './webhooks.service.js';

/** A risk is critical from this score (likelihood x impact) up: the top band of the 5x5 heat map. */
export const CRITICAL_RISK_SCORE = 15;
/** Changes to one plan within this window make one plan.changed event. */
const PLAN_CHANGED_WINDOW_MS = 2000;

/**
 * Turns plan changes made on this instance into webhook events: milestone.slipped (a due date moved
 * later), risk.critical (a risk's score reached the top band), checkpoint.approved (passed or waived
 * by an approver), and plan.changed (at most one per plan every two seconds, with what changed).
 * Each change is seen by the instance that stored it only, so each event is queued once.
 */
@Injectable()
export class WebhookEvents implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopListening: (() => void) | undefined;
  private readonly organizations: PlanOrganizations;
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; entities: Set<string>; count: number }>();
  private readonly queued = new InFlight();

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly watcher: GovernanceWatcher,
    dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.organizations = new PlanOrganizations(dataSource);
  }

  onApplicationBootstrap(): void {
    this.stopListening = this.watcher.onChange((event) => this.onChanged(event));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopListening?.();
    await this.drain();
  }

  /** Queues the plan.changed events still waiting for their window to close, and waits for every event queued. */
  async drain(): Promise<void> {
    for (const planId of [...this.pending.keys()]) this.flushPlanChanged(planId);
    await this.queued.settled();
  }

  private onChanged(event: PlanChanged): void {
    const refused = new Set(event.refusals.map((refusal) => refusal.entryId));
    const messages: Omit<WebhookMessage, 'organizationId'>[] = [];
    const touchedRisks = new Set<string>();
    for (const change of event.changes) {
      if (change.entryId === null || refused.has(change.entryId)) continue;
      const entry =
        change.collection === 'plan' || change.collection === 'notes'
          ? undefined
          : event.tracker.entry(change.collection, change.entryId);
      if (change.collection === 'milestones' && change.field === 'dueDate') {
        const from = change.before;
        const to = change.after;
        if (typeof from === 'string' && typeof to === 'string' && to > from)
          messages.push({
            event: 'milestone.slipped',
            planId: event.planId,
            data: { milestoneId: change.entryId, title: entry?.title ?? null, from, to, by: event.author.name },
          });
      }
      if (
        change.collection === 'risks' &&
        (change.field === 'likelihood' || change.field === 'impact' || change.action === 'created')
      )
        touchedRisks.add(change.entryId);
      const approved =
        change.collection === 'checkpoints' && change.action === 'created'
          ? isCleared((change.after as { status?: unknown }).status)
          : change.field === 'status' && isCleared(change.after) && !isCleared(change.before);
      if (change.collection === 'checkpoints' && approved)
        messages.push({
          event: 'checkpoint.approved',
          planId: event.planId,
          data: {
            checkpointId: change.entryId,
            title: entry?.title ?? null,
            status: entry?.status ?? null,
            by: event.author.name,
          },
        });
    }
    for (const riskId of touchedRisks) {
      const risk = event.tracker.entry('risks', riskId);
      if (risk === undefined) continue;
      const score = riskScore({ likelihood: risk.likelihood as number, impact: risk.impact as number });
      const before = event.changes.filter((change) => change.entryId === riskId);
      const created = before.some((change) => change.action === 'created');
      const old = (field: 'likelihood' | 'impact') =>
        (before.find((change) => change.field === field)?.before as number | undefined) ?? (risk[field] as number);
      const was = created ? 0 : riskScore({ likelihood: old('likelihood'), impact: old('impact') });
      if (score >= CRITICAL_RISK_SCORE && was < CRITICAL_RISK_SCORE)
        messages.push({
          event: 'risk.critical',
          planId: event.planId,
          data: {
            riskId,
            title: risk.title,
            score,
            likelihood: risk.likelihood,
            impact: risk.impact,
            by: event.author.name,
          },
        });
    }
    for (const message of messages) this.queue(message);
    this.notePlanChanged(event);
  }

  private notePlanChanged(event: PlanChanged): void {
    let entry = this.pending.get(event.planId);
    if (entry === undefined) {
      entry = {
        timer: setTimeout(() => this.flushPlanChanged(event.planId), PLAN_CHANGED_WINDOW_MS),
        entities: new Set(),
        count: 0,
      };
      entry.timer.unref();
      this.pending.set(event.planId, entry);
    }
    for (const change of event.changes) entry.entities.add(change.collection);
    entry.count += event.changes.length;
  }

  private flushPlanChanged(planId: string): void {
    const entry = this.pending.get(planId);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.pending.delete(planId);
    this.queue({ event: 'plan.changed', planId, data: { changes: entry.count, parts: [...entry.entities].sort() } });
  }

  private queue(message: Omit<WebhookMessage, 'organizationId'>): void {
    const done = (async () => {
      const organizationId = await this.organizations.of(message.planId);
      if (organizationId !== null) await this.webhooks.enqueue({ ...message, organizationId });
    })().catch((error: unknown) =>
      this.logger.error({ err: error, planId: message.planId, event: message.event }, 'a webhook event was not queued'),
    );
    this.queued.track(done);
  }
}
