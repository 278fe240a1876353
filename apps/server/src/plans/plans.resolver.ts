import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AppError } from '../common/errors.js';
import { AccountsService } from '../identity/accounts.service.js';
import { toUser } from '../identity/models/mappers.js';
import { PlanMemberModel, PlanRoleModel } from './models/plan-role.models.js';
import { PlansService } from './plans.service.js';

/**
 * Who may use a plan. Plan content is read by PlanQueriesResolver and changed by PlanEditResolver;
 * its entries are listed and changed by PLAN_COLLECTION_RESOLVERS.
 */
@Resolver()
export class PlansResolver {
  constructor(
    private readonly planService: PlansService,
    private readonly accounts: AccountsService,
  ) {}

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
