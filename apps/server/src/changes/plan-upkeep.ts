import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_AUTHOR } from '@bascule/collab';
import {
  currentSchemaVersionOf,
  type DomainChange,
  eligibility,
  eligibilityRisksInStep,
  migratePlan,
  PLAN_SCHEMA_VERSION,
  readPlan,
  syncEligibilityRisks,
} from '@bascule/plan-model';
import type * as Y from 'yjs';
import { CatalogService, offerFacts } from '../catalog/catalog.service.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { KeyedTurns } from '../common/turns.js';
import { LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { PendingCorrections } from './pending-corrections.js';
import { PlanOrganizations } from './plan-organizations.js';

/** Quiet time after a change before the plan's automatic risks are checked: a burst is checked once. */
const DEBOUNCE_MS = 50;

/** Whether a change can move the plan's eligibility or its automatic risks (what `eligibility` reads). */
const concernsEligibility = (change: DomainChange): boolean =>
  change.collection === 'plan' ||
  change.collection === 'workloads' ||
  (change.collection === 'risks' &&
    (change.action !== 'updated' || change.field === 'status' || change.field === 'automatic'));

/**
 * The changes Bascule makes to a plan by itself, as server changes through the one write path: a
 * document of an older schema is upgraded when it loads, and the automatic risks follow the plan's
 * eligibility for its target offer after every change that can move it (and when the catalog
 * changes). The read model waits for them (`settled`) so that it never shows a plan half-done.
 */
@Injectable()
export class PlanUpkeep {
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  /** One upkeep of a plan at a time. */
  private readonly turns = new KeyedTurns();

  constructor(
    private readonly registry: PlanOrganizations,
    private readonly documents: PlanDocumentService,
    private readonly catalog: CatalogService,
    private readonly corrections: PendingCorrections,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A document has loaded on this instance: upgraded (and its risks checked) if it is older. An empty
   * one is a plan being created, whose first change writes the current schema: upgrading it too
   * would race that change (both would set the header's fields from the same empty state).
   */
  loaded(planId: string, doc: Y.Doc): void {
    // An upkeep under way loads the document itself (a room without sockets unloads between reads):
    // it checks the schema anyway, and a failing one must not queue another at each of its loads.
    if (this.turns.busy(planId)) return;
    if (doc.store.clients.size > 0 && currentSchemaVersionOf(doc) < PLAN_SCHEMA_VERSION) void this.run(planId);
  }

  /**
   * A person or a tool changed the plan on this instance (Bascule's own changes need no upkeep); the
   * document is left older only by a raw client.
   */
  changed(planId: string, changes: readonly DomainChange[], doc: Y.Doc): void {
    if (currentSchemaVersionOf(doc) < PLAN_SCHEMA_VERSION) void this.run(planId);
    else if (changes.some(concernsEligibility)) this.schedule(planId);
  }

  /**
   * Resolves once what the plan needs is done (or failed, and logged), with whether anything was due:
   * then the document may have changed since the caller last read it.
   */
  async settled(planId: string): Promise<boolean> {
    if (this.scheduled.has(planId)) {
      await this.run(planId);
      return true;
    }
    if (!this.turns.busy(planId)) return false;
    await this.turns.settled(planId);
    return true;
  }

  /** Checks the plan now, loaded or not (its target offer changed in the catalog). */
  recheck(planId: string): Promise<void> {
    return this.run(planId);
  }

  /** Resolves once nothing is due or under way: at shutdown, while documents can still be changed. */
  async settledAll(): Promise<void> {
    while (this.scheduled.size > 0 || this.turns.size > 0) {
      for (const planId of [...this.scheduled.keys()]) void this.run(planId);
      await this.turns.settled();
    }
  }

  private schedule(planId: string): void {
    clearTimeout(this.scheduled.get(planId));
    this.scheduled.set(
      planId,
      setTimeout(() => void this.run(planId), DEBOUNCE_MS),
    );
  }

  /** Runs an upkeep of the plan after any under way; resolves when it is done, never rejects. */
  private run(planId: string): Promise<void> {
    clearTimeout(this.scheduled.get(planId));
    this.scheduled.delete(planId);
    return this.turns
      .run(planId, () => this.upkeep(planId))
      .catch((error: unknown) =>
        this.logger.error(
          { err: error, planId },
          'plan upkeep failed; the next change or projection of the plan retries',
        ),
      );
  }

  private async upkeep(planId: string): Promise<void> {
    await this.corrections.settled(planId);
    const organizationId = await this.registry.of(planId);
    if (organizationId === null) return;
    // One read (a plan without sockets loads again at each): its schema and content together.
    const read = await this.documents.inspect(planId, (doc) => ({
      schema: currentSchemaVersionOf(doc),
      content: readPlan(doc),
    }));
    let content = read.content;
    if (read.schema < PLAN_SCHEMA_VERSION) {
      const title = (await this.registry.title(planId)) ?? '';
      // The title the plan was created with, for a document that has none yet.
      await this.documents.change(planId, SYSTEM_AUTHOR, (live) => migratePlan(live, { title }));
      content = await this.documents.inspect(planId, readPlan);
    }
    const target = content.meta.targetOfferId;
    const row = target === null ? null : await this.catalog.offer(organizationId, target);
    const warnings = eligibility(content, row === null ? null : offerFacts(row), content.meta.language);
    if (!eligibilityRisksInStep(content.risks, warnings))
      await this.documents.change(planId, SYSTEM_AUTHOR, (live) => syncEligibilityRisks(live, warnings));
  }
}
