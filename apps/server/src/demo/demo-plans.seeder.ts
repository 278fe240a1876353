import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { addDays, dayOf, readPlan, updateEntry, isCleared } from '@bascule/plan-model';
import type { AuthContext } from '../access/auth-context.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import { CLOCK, type Clock, LOGGER } from '../core.module.js';
import type { Logger } from '../logging/logger.js';
import { PlanEditService } from '../plans/plan-edit.service.js';
import { ProjectionService } from '../projection/projection.service.js';
import { DemoSeeder } from './demo.seeder.js';

/** The demo organization's plans: one per template, started at different times so the portfolio has some life. */
const DEMO_PLANS: readonly { templateId: string; title: string; startedDaysAgo: number; slipDays: number }[] = [
  { templateId: 'm365-to-bleu', title: 'Messagerie et bureautique vers Bleu', startedDaysAgo: 150, slipDays: 12 },
  {
    templateId: 'azure-paas-to-kubernetes',
    title: 'Portail patient vers Kubernetes qualifié',
    startedDaysAgo: 90,
    slipDays: 0,
  },
  {
    templateId: 'iaas-lift-and-shift',
    title: 'Infrastructure du GHT vers un IaaS qualifié',
    startedDaysAgo: 170,
    slipDays: 25,
  },
  { templateId: 'gcp-to-s3ns', title: 'Entrepôt de données vers S3NS', startedDaysAgo: 20, slipDays: 0 },
  {
    templateId: 'apps-to-anthos-ovhcloud',
    title: 'Applications métiers (cible Anthos à revoir)',
    startedDaysAgo: 45,
    slipDays: 0,
  },
];

/**
 * After the demo organization is created, gives it plans made from the templates, with the
 * milestones already past marked done (some late), as the owner would have.
 */
@Injectable()
export class DemoPlansSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly demo: DemoSeeder,
    private readonly edits: PlanEditService,
    private readonly documents: PlanDocumentService,
    private readonly projection: ProjectionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.demo.created;
    if (created === null) return;
    const auth: AuthContext = {
      principal: 'user',
      userId: created.ownerId,
      organizationId: created.organizationId,
      orgRole: 'OWNER',
      scopes: ['read', 'write'],
      sessionId: null,
      apiTokenId: null,
      expiresAt: null,
    };
    const today = dayOf(this.clock.now());
    for (const demo of DEMO_PLANS) {
      const plan = await this.edits.createFromTemplate(auth, created.organizationId, {
        templateId: demo.templateId,
        title: demo.title,
        startDate: addDays(today, -demo.startedDaysAgo),
        defaultMemberRole: 'EDITOR',
      });
      const author = await this.edits.authorOf(auth, 'OWNER');
      await this.documents.change(plan.id, author, (doc) => {
        const content = readPlan(doc);
        // Milestones gated by open checkpoints stay open, as the governance rules require.
        const gated = new Set(content.checkpoints.filter((c) => !isCleared(c.status)).flatMap((c) => c.milestoneIds));
        for (const milestone of content.milestones) {
          if (gated.has(milestone.id)) continue;
          if (milestone.dueDate === null || addDays(milestone.dueDate, demo.slipDays) >= today) continue;
          updateEntry(doc, 'milestones', milestone.id, {
            status: 'DONE',
            completedOn: addDays(milestone.dueDate, demo.slipDays),
          });
        }
      });
      await this.projection.projectNow(plan.id);
    }
    this.logger.info({ plans: DEMO_PLANS.length }, 'demo plans created');
  }
}
