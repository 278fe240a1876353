import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { addDays, dayOf, isCleared, type Localized, pick, readPlan, updateEntry } from '@bascule/plan-model';
import type { ChangeAuthor } from '@bascule/collab';
import type { AuthContext } from '../access/auth-context.js';
import { PlanDocumentService } from '../collab/plan-document.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG, CLOCK, type Clock, LOGGER } from '../core/core.module.js';
import type { Logger } from '../logging/logger.js';
import { PlanEditService } from '../plan-api/plan-edit.service.js';
import { ProjectionService } from '../projection/projection.service.js';
import { demoAnnouncement, demoAnswer, demoAssignments, type DemoPeople, demoQuestion } from './demo-conversations.js';
import { type DemoCrew, demoRehearsal, demoRunbook } from './demo-runbooks.js';
import { DEMO_USERS, DemoSeeder } from './demo.seeder.js';
import type { OrgRole } from '../access/roles.js';

/** The demo organization's plans: one per template, started at different times so the portfolio has some life. */
interface DemoPlan {
  readonly templateId: string;
  readonly title: Localized;
  readonly startedDaysAgo: number;
  readonly slipDays: number;
  /** A cutover runbook, its T0 in some days (at 20:00 UTC), with a rehearsal run some days ago. */
  readonly runbook?: { templateId: string; title: Localized; inDays: number; rehearsedDaysAgo?: number };
  /** Whether the plan's team has talked in it: a question on its highest risk, a plan-wide note. */
  readonly conversation?: true;
}

const DEMO_PLANS: readonly DemoPlan[] = [
  {
    templateId: 'm365-to-bleu',
    title: { fr: 'Messagerie et bureautique vers Bleu', en: 'Mail and office suite to Bleu' },
    startedDaysAgo: 150,
    slipDays: 12,
    runbook: {
      templateId: 'm365-mailbox-wave',
      title: { fr: 'Vague 1 – boîtes aux lettres de la direction', en: 'Wave 1 – management mailboxes' },
      inDays: 12,
      rehearsedDaysAgo: 6,
    },
    conversation: true,
  },
  {
    templateId: 'azure-paas-to-kubernetes',
    title: { fr: 'Portail patient vers Kubernetes qualifié', en: 'Patient portal to qualified Kubernetes' },
    startedDaysAgo: 90,
    slipDays: 0,
    runbook: {
      templateId: 'app-to-kubernetes',
      title: { fr: 'Bascule du portail patient', en: 'Patient portal cutover' },
      inDays: 3,
    },
    conversation: true,
  },
  {
    templateId: 'iaas-lift-and-shift',
    title: {
      fr: 'Infrastructure du GHT vers un IaaS qualifié',
      en: 'Hospital group infrastructure to a qualified IaaS',
    },
    startedDaysAgo: 170,
    slipDays: 25,
  },
  {
    templateId: 'gcp-to-s3ns',
    title: { fr: 'Entrepôt de données vers S3NS', en: 'Data warehouse to S3NS' },
    startedDaysAgo: 20,
    slipDays: 0,
  },
  {
    templateId: 'apps-to-anthos-ovhcloud',
    title: {
      fr: 'Applications métiers (cible Anthos à revoir)',
      en: 'Business applications (Anthos target to review)',
    },
    startedDaysAgo: 45,
    slipDays: 0,
  },
];

/** Why the demo waives a checkpoint that gates nothing yet. */
const DEMO_WAIVER: Localized = {
  fr: 'Couvert par l’audit de conformité réalisé en 2025 ; revue prévue avant la bascule.',
  en: 'Covered by the 2025 compliance audit; to be reviewed before the cutover.',
};

/**
 * After the demo organization is created, gives it plans made from the templates, with the
 * milestones already past marked done (some late), as the owner would have; the owner and the
 * member share the work (owners of milestones, risks, checkpoints) and talk in two of them.
 */
@Injectable()
export class DemoPlansSeeder implements OnApplicationBootstrap {
  constructor(
    private readonly demo: DemoSeeder,
    private readonly edits: PlanEditService,
    private readonly documents: PlanDocumentService,
    private readonly projection: ProjectionService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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
    const now = this.clock.now().toISOString();
    const language = this.config.language;
    // The member runs the tasks, the owner decides the go / no-go points.
    const nameOf = (role: OrgRole) => DEMO_USERS.find((user) => user.role === role)?.displayName ?? '';
    const crew: DemoCrew = {
      ownerId: created.memberId,
      ownerName: nameOf('MEMBER'),
      approverId: created.ownerId,
      approverName: nameOf('OWNER'),
    };
    for (const demo of DEMO_PLANS) {
      const plan = await this.edits.createFromTemplate(auth, created.organizationId, {
        templateId: demo.templateId,
        title: pick(demo.title, language),
        startDate: addDays(today, -demo.startedDaysAgo),
        defaultMemberRole: 'EDITOR',
        language,
      });
      const author = await this.edits.authorOf(auth, 'OWNER');
      await this.documents.change(plan.id, author, (doc) => {
        const content = readPlan(doc);
        const dueBy = (milestoneId: string) => {
          const due = content.milestones.find((milestone) => milestone.id === milestoneId)?.dueDate ?? null;
          return due !== null && addDays(due, demo.slipDays) < today;
        };
        // The owner (an approver) has passed the checkpoints of what is behind the plan, and waived
        // one that gates nothing, with the server's stamp: readiness is not all 0 %.
        let waived = false;
        for (const checkpoint of content.checkpoints) {
          const passed = checkpoint.milestoneIds.length > 0 && checkpoint.milestoneIds.every(dueBy);
          const waive: boolean = !passed && !waived && checkpoint.milestoneIds.length === 0 && demo.startedDaysAgo > 60;
          if (!passed && !waive) continue;
          waived ||= waive;
          updateEntry(doc, 'checkpoints', checkpoint.id, {
            status: waive ? 'WAIVED' : 'PASSED',
            ...(waive ? { justification: pick(DEMO_WAIVER, language) } : {}),
            approvedBy: author.name,
            approvedAt: now,
          });
        }
      });
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
      if (demo.runbook !== undefined) {
        const { runbook } = demo;
        const at = (days: number) => new Date(`${addDays(today, days)}T20:00:00.000Z`);
        await this.documents.change(plan.id, author, (doc) => {
          const runbookId = demoRunbook(
            doc,
            runbook.templateId,
            pick(runbook.title, language),
            at(runbook.inDays),
            crew,
            language,
          );
          if (runbook.rehearsedDaysAgo !== undefined)
            demoRehearsal(doc, runbookId, at(-runbook.rehearsedDaysAgo), crew, language);
        });
      }
      const people: DemoPeople = {
        ownerId: created.ownerId,
        ownerName: crew.approverName,
        memberId: created.memberId,
        memberName: crew.ownerName,
      };
      await this.documents.change(plan.id, author, (doc) => demoAssignments(doc, people));
      if (demo.conversation === true) {
        const daysAgo = (days: number) => new Date(this.clock.now().getTime() - days * 86_400_000).toISOString();
        const member: ChangeAuthor = {
          kind: 'user',
          userId: created.memberId,
          apiTokenId: null,
          name: people.memberName,
          role: 'EDITOR',
        };
        await this.documents.change(plan.id, author, (doc) => demoAnnouncement(doc, people, language, daysAgo(3)));
        const threadId = await this.documents.change(plan.id, member, (doc) =>
          demoQuestion(doc, people, language, daysAgo(2)),
        );
        if (threadId !== null)
          await this.documents.change(plan.id, author, (doc) =>
            demoAnswer(doc, people, language, threadId, daysAgo(1)),
          );
      }
      await this.projection.projectNow(plan.id);
    }
    this.logger.info({ plans: DEMO_PLANS.length }, 'demo plans created');
  }
}
