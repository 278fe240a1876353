import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { isLanguage, type Language } from '@bascule/plan-model';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { RequestLanguage } from '../access/request-language.decorator.js';
import { requireText } from '../common/validation.js';
import { PlanEditService } from './plan-edit.service.js';
import { PlanReadService } from './plan-read.service.js';
import { CreatePlanFromTemplateInput, CreatePlanInput, UpdatePlanInput } from './models/plan-inputs.js';
import { type PlanResult, toPlanModel } from './models/plan.mappers.js';
import { PlanModel } from './models/plan.models.js';
import { PlanRoleModel } from '../plans/models/plan-role.models.js';
import { InventoryImportPreviewModel, InventoryImportResultModel } from './models/inventory.models.js';
import { PlansService } from '../plans/plans.service.js';

/**
 * Every change to a plan through GraphQL but those to its entries (PLAN_COLLECTION_RESOLVERS). Each
 * runs as a Yjs transaction by the caller on the live document and returns once projected, so the
 * answer shows the change.
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
}
