import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { PageArgs, pageOf } from '../common/page.args.js';
import { requireText } from '../common/validation.js';
import { AccountsService } from '../identity/accounts.service.js';
import { toUser } from '../identity/models/mappers.js';
import type { PlanEntity, PlanRole } from './entities.js';
import { CreatePlanInput, PlanMemberModel, PlanModel, PlanRoleModel } from './models/plan.models.js';
import { PlansService } from './plans.service.js';

const toPlan = (plan: PlanEntity, role: PlanRole): PlanModel => ({
  id: plan.id,
  title: plan.title,
  createdAt: plan.createdAt,
  defaultMemberRole: plan.defaultMemberRole === null ? null : PlanRoleModel[plan.defaultMemberRole],
  viewerRole: PlanRoleModel[role],
});

/** The minimum plan registry the collab socket needs; the full plan API builds on it. */
@Resolver()
export class PlansResolver {
  constructor(
    private readonly planService: PlansService,
    private readonly accounts: AccountsService,
    private readonly access: AccessService,
  ) {}

  @Allow('plans.read')
  @Query(() => [PlanModel], { description: 'Plans of the current organization you may see, newest first.' })
  async plans(@CurrentAuth() auth: AuthContext, @Args() page: PageArgs): Promise<PlanModel[]> {
    const visible = await this.planService.visible(auth, pageOf(page));
    return visible.map(({ plan, role }) => toPlan(plan, role));
  }

  @Allow('plans.write')
  @Mutation(() => PlanModel, { description: 'Creates an empty plan in the current organization; you own it.' })
  async createPlan(@CurrentAuth() auth: AuthContext, @Args('input') input: CreatePlanInput): Promise<PlanModel> {
    const organizationId = this.access.requireOrgRole(auth, 'MEMBER');
    const plan = await this.planService.create(auth, organizationId, {
      title: requireText(input.title, 'title', 200),
      defaultMemberRole: input.defaultMemberRole ?? null,
    });
    return toPlan(plan, 'OWNER');
  }

  @Allow('plans.write')
  @Mutation(() => PlanMemberModel, {
    description: 'Gives a member a role on the plan, or removes it with role: null. Plan owners only.',
  })
  async setPlanMemberRole(
    @CurrentAuth() auth: AuthContext,
    @Args('planId', { type: () => ID }) planId: string,
    @Args('userId', { type: () => ID }) userId: string,
    @Args('role', { type: () => PlanRoleModel, nullable: true }) role: PlanRoleModel | null,
  ): Promise<PlanMemberModel> {
    const granted = await this.planService.setMemberRole(auth, planId, userId, role);
    const user = await this.accounts.findUser(userId);
    if (user === null) throw new AppError('NOT_FOUND', 'No such member in this organization.');
    return { user: toUser(user), role: granted === null ? null : PlanRoleModel[granted] };
  }
}
