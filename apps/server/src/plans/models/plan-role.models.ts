import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
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

@ObjectType('PlanMember')
export class PlanMemberModel {
  @Field(() => UserModel) user!: UserModel;
  @Field(() => PlanRoleModel, { nullable: true, description: 'Null when the explicit role was removed.' })
  role!: PlanRoleModel | null;
}
