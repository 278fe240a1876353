import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { UserModel } from '../../identity/models/identity.models.js';

export enum PlanRoleModel {
  OWNER = 'OWNER',
  EDITOR = 'EDITOR',
  APPROVER = 'APPROVER',
  VIEWER = 'VIEWER',
}
registerEnumType(PlanRoleModel, {
  name: 'PlanRole',
  description: 'OWNER: shares and edits. EDITOR: edits. APPROVER: edits and approves checkpoints. VIEWER: reads.',
});

@ObjectType('Plan', { description: 'A migration plan. Its content is co-edited live at /collab/<id>.' })
export class PlanModel {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => PlanRoleModel, {
    nullable: true,
    description: 'Role every member of the organization has; null: shared explicitly only.',
  })
  defaultMemberRole!: PlanRoleModel | null;
  @Field(() => PlanRoleModel, { description: 'Your role on this plan.' }) viewerRole!: PlanRoleModel;
}

@InputType()
export class CreatePlanInput {
  @Field(() => String) title!: string;
  @Field(() => PlanRoleModel, { nullable: true, defaultValue: PlanRoleModel.VIEWER })
  defaultMemberRole?: PlanRoleModel | null;
}

@ObjectType('PlanMember')
export class PlanMemberModel {
  @Field(() => UserModel) user!: UserModel;
  @Field(() => PlanRoleModel, { nullable: true, description: 'Null when the explicit role was removed.' })
  role!: PlanRoleModel | null;
}
