import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { type CollectionName, isLanguage, type Language } from '@bascule/plan-model';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { RequestLanguage } from '../common/request-language.decorator.js';
import { requireText } from '../common/validation.js';
import { PlanEditService } from './plan-edit.service.js';
import { PlanReadService, type RowOf } from './plan-read.service.js';
import { CheckpointModel, MilestoneModel, RiskModel, WorkloadModel } from './models/plan-content.models.js';
import {
  CheckpointInput,
  CheckpointPatch,
  CreatePlanFromTemplateInput,
  CreatePlanInput,
  MilestoneInput,
  MilestonePatch,
  RiskInput,
  RiskPatch,
  UpdatePlanInput,
  WorkloadInput,
  WorkloadPatch,
} from './models/plan-inputs.js';
import { type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel, PlanRoleModel } from './models/plan.models.js';
import { InventoryImportPreviewModel, InventoryImportResultModel } from './models/inventory.models.js';
import { PlansService } from './plans.service.js';

/**
 * Every change to a plan through GraphQL. Each runs as a Yjs transaction by the caller on the live
 * document and returns once projected, so the answer shows the change.
 */
@Resolver()
export class PlanEditResolver {
  constructor(
    private readonly edits: PlanEditService,
    private readonly reads: PlanReadService,
    private readonly access: AccessService,
    private readonly plans: PlansService,
  ) {}

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Creates a plan in the current organization; you own it.' })
  async createPlan(
    @CurrentAuth() auth: AuthContext,
    @RequestLanguage() language: Language,
    @Args('input') input: CreatePlanInput,
  ): Promise<PlanResult> {
    const organizationId = this.access.requireOrgRole(auth, 'MEMBER');
    const { title, defaultMemberRole, ...fields } = input;
    const plan = await this.edits.createPlan(auth, organizationId, {
      title: requireText(title, 'title', 200),
      defaultMemberRole: defaultMemberRole ?? null,
      fields: { ...fields, language: fields.language ?? language },
    });
    return toPlanModel(await this.reads.one(auth, plan.id));
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, {
    description: 'Creates a plan from a template (see templates), its dates counted from startDate.',
  })
  async createPlanFromTemplate(
    @CurrentAuth() auth: AuthContext,
    @RequestLanguage() language: Language,
    @Args('input') input: CreatePlanFromTemplateInput,
  ): Promise<PlanResult> {
    const organizationId = this.access.requireOrgRole(auth, 'MEMBER');
    const plan = await this.edits.createFromTemplate(auth, organizationId, {
      templateId: input.templateId,
      title: requireText(input.title, 'title', 200),
      startDate: input.startDate,
      defaultMemberRole: input.defaultMemberRole ?? null,
      language: isLanguage(input.language) ? input.language : language,
    });
    return toPlanModel(await this.reads.one(auth, plan.id));
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, {
    description:
      'Sets the role every member of the organization has on the plan; null: only the people given one. Plan owners only.',
  })
  async setPlanDefaultRole(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('role', { type: () => PlanRoleModel, nullable: true }) role: PlanRoleModel | null,
  ): Promise<PlanResult> {
    await this.plans.setDefaultRole(auth, planId, role);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.read')
  @Query(() => InventoryImportPreviewModel, {
    description:
      'Checks a workload inventory (CSV with a header line: name, criticality, dataClassification, strategy, targetOfferId, owner, wave, dependsOn; French names too) against the plan, row by row. Nothing is written.',
  })
  async previewInventoryImport(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('csv', { type: () => String }) csv: string,
  ): Promise<InventoryImportPreviewModel> {
    const preview = await this.edits.previewInventory(auth, planId, csv);
    const count = (action: string) => preview.rows.filter((row) => row.action === action).length;
    return {
      fileErrors: [...preview.fileErrors],
      columns: [...preview.columns],
      ignoredColumns: [...preview.ignoredColumns],
      rows: preview.rows.map((row) => ({
        line: row.line,
        name: row.name,
        action: row.action,
        errors: [...row.errors],
      })),
      creates: count('CREATE'),
      updates: count('UPDATE'),
      skips: count('SKIP'),
    };
  }

  @Allow('plans.write')
  @Mutation(() => InventoryImportResultModel, {
    description:
      "Imports an inventory's valid rows as one change: new workloads created, those of the same name updated, dependencies set by name; rows with errors left out.",
  })
  async importInventory(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('csv', { type: () => String }) csv: string,
  ): Promise<InventoryImportResultModel> {
    const result = await this.edits.importInventory(auth, planId, csv);
    return { ...result, plan: toPlanModel(await this.reads.one(auth, planId)) };
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: "Changes the plan's header: title, status, target, dates, description." })
  async updatePlan(
    @CurrentAuth() auth: AuthContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdatePlanInput,
  ): Promise<PlanResult> {
    await this.edits.updatePlan(auth, id, input);
    return toPlanModel(await this.reads.one(auth, id));
  }

  @Allow('plans.write')
  @Mutation(() => MilestoneModel, { description: "Adds a milestone at the end of the plan's milestones." })
  async createMilestone(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: MilestoneInput,
  ): Promise<RowOf['milestones']> {
    const id = await this.edits.createEntry(auth, planId, 'milestones', input);
    return this.projected(planId, 'milestones', id);
  }

  @Allow('plans.write')
  @Mutation(() => MilestoneModel, { description: 'Changes the given fields of a milestone; null clears a field.' })
  async updateMilestone(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: MilestonePatch,
  ): Promise<RowOf['milestones']> {
    await this.edits.updateEntry(auth, planId, 'milestones', id, input);
    return this.projected(planId, 'milestones', id);
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Deletes a milestone and every reference to it; returns the plan.' })
  async deleteMilestone(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanResult> {
    await this.edits.deleteEntry(auth, planId, 'milestones', id);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.write')
  @Mutation(() => MilestoneModel, { description: 'Moves a milestone to a position in the display order (0 = first).' })
  async moveMilestone(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('index', { type: () => Int }) index: number,
  ): Promise<RowOf['milestones']> {
    await this.edits.moveEntry(auth, planId, 'milestones', id, index);
    return this.projected(planId, 'milestones', id);
  }

  @Allow('plans.write')
  @Mutation(() => RiskModel, { description: "Adds a risk at the end of the plan's risks." })
  async createRisk(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: RiskInput,
  ): Promise<RowOf['risks']> {
    const id = await this.edits.createEntry(auth, planId, 'risks', input);
    return this.projected(planId, 'risks', id);
  }

  @Allow('plans.write')
  @Mutation(() => RiskModel, { description: 'Changes the given fields of a risk; null clears a field.' })
  async updateRisk(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: RiskPatch,
  ): Promise<RowOf['risks']> {
    await this.edits.updateEntry(auth, planId, 'risks', id, input);
    return this.projected(planId, 'risks', id);
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Deletes a risk and every reference to it; returns the plan.' })
  async deleteRisk(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanResult> {
    await this.edits.deleteEntry(auth, planId, 'risks', id);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.write')
  @Mutation(() => RiskModel, { description: 'Moves a risk to a position in the display order (0 = first).' })
  async moveRisk(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('index', { type: () => Int }) index: number,
  ): Promise<RowOf['risks']> {
    await this.edits.moveEntry(auth, planId, 'risks', id, index);
    return this.projected(planId, 'risks', id);
  }

  @Allow('plans.write')
  @Mutation(() => CheckpointModel, { description: "Adds a checkpoint at the end of the plan's checkpoints." })
  async createCheckpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: CheckpointInput,
  ): Promise<RowOf['checkpoints']> {
    const id = await this.edits.createEntry(auth, planId, 'checkpoints', input);
    return this.projected(planId, 'checkpoints', id);
  }

  @Allow('plans.write')
  @Mutation(() => CheckpointModel, { description: 'Changes the given fields of a checkpoint; null clears a field.' })
  async updateCheckpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: CheckpointPatch,
  ): Promise<RowOf['checkpoints']> {
    await this.edits.updateEntry(auth, planId, 'checkpoints', id, input);
    return this.projected(planId, 'checkpoints', id);
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Deletes a checkpoint and every reference to it; returns the plan.' })
  async deleteCheckpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanResult> {
    await this.edits.deleteEntry(auth, planId, 'checkpoints', id);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.write')
  @Mutation(() => CheckpointModel, {
    description: 'Moves a checkpoint to a position in the display order (0 = first).',
  })
  async moveCheckpoint(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('index', { type: () => Int }) index: number,
  ): Promise<RowOf['checkpoints']> {
    await this.edits.moveEntry(auth, planId, 'checkpoints', id, index);
    return this.projected(planId, 'checkpoints', id);
  }

  @Allow('plans.write')
  @Mutation(() => WorkloadModel, { description: "Adds a workload at the end of the plan's workloads." })
  async createWorkload(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('input') input: WorkloadInput,
  ): Promise<RowOf['workloads']> {
    const id = await this.edits.createEntry(auth, planId, 'workloads', input);
    return this.projected(planId, 'workloads', id);
  }

  @Allow('plans.write')
  @Mutation(() => WorkloadModel, { description: 'Changes the given fields of a workload; null clears a field.' })
  async updateWorkload(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: WorkloadPatch,
  ): Promise<RowOf['workloads']> {
    await this.edits.updateEntry(auth, planId, 'workloads', id, input);
    return this.projected(planId, 'workloads', id);
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Deletes a workload and every reference to it; returns the plan.' })
  async deleteWorkload(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<PlanResult> {
    await this.edits.deleteEntry(auth, planId, 'workloads', id);
    return toPlanModel(await this.reads.one(auth, planId));
  }

  @Allow('plans.write')
  @Mutation(() => WorkloadModel, { description: 'Moves a workload to a position in the display order (0 = first).' })
  async moveWorkload(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('id', { type: () => ID }) id: string,
    @Args('index', { type: () => Int }) index: number,
  ): Promise<RowOf['workloads']> {
    await this.edits.moveEntry(auth, planId, 'workloads', id, index);
    return this.projected(planId, 'workloads', id);
  }

  /** The projected row of an entry just written. */
  private async projected<C extends CollectionName>(planId: string, collection: C, id: string): Promise<RowOf[C]> {
    const rows = (await this.reads.rows(collection, [planId])).get(planId) ?? [];
    const row = rows.find((candidate) => candidate.id === id);
    if (row === undefined) throw new AppError('NOT_FOUND', 'That entry was deleted meanwhile.');
    return row;
  }
}
