import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum QualificationStatusModel {
  QUALIFIED = 'QUALIFIED',
  IN_PROGRESS = 'IN_PROGRESS',
  NOT_QUALIFIED = 'NOT_QUALIFIED',
  DISCONTINUED = 'DISCONTINUED',
}
registerEnumType(QualificationStatusModel, {
  name: 'QualificationStatus',
  description: "An offer's SecNumCloud status, as of the date its catalog entry gives.",
});

@ObjectType('CatalogEntryVersion', { isAbstract: true })
abstract class CatalogEntryModel {
  @Field(() => Int, { description: 'Counts up with every edit; built-in entries start at their seed version.' })
  version!: number;
  @Field(() => String, { nullable: true, description: 'When the facts were true: YYYY, YYYY-MM or YYYY-MM-DD.' })
  asOf!: string | null;
  @Field(() => String, { nullable: true }) sourceUrl!: string | null;
  @Field(() => Boolean, { description: "True for Bascule's built-in entry; false once your organization edited it." })
  builtIn!: boolean;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('TargetOffer', { description: 'A cloud offer a plan can target, with its qualification status.' })
export class TargetOfferModel extends CatalogEntryModel {
  @Field(() => ID) id!: string;
  @Field(() => String) provider!: string;
  @Field(() => String) name!: string;
  @Field(() => QualificationStatusModel) secNumCloudStatus!: QualificationStatusModel;
  @Field(() => String, { nullable: true, description: 'Qualification milestone reached (J0 to J3), or version.' })
  secNumCloudMilestone!: string | null;
  @Field(() => String, { nullable: true, description: 'Expected qualification date, YYYY-MM-DD (IN_PROGRESS only).' })
  expectedQualification!: string | null;
  @Field(() => Boolean, { description: 'Certified to host health data (HDS).' }) hds!: boolean;
  @Field(() => String) notes!: string;
}

@ObjectType('FrameworkRequirement')
export class FrameworkRequirementModel {
  @Field(() => String) code!: string;
  @Field(() => String) title!: string;
  @Field(() => String) description!: string;
}

@ObjectType('ComplianceFramework', {
  description: 'A framework plans check themselves against, with its requirements.',
})
export class ComplianceFrameworkModel extends CatalogEntryModel {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [FrameworkRequirementModel]) requirements!: FrameworkRequirementModel[];
}

@ObjectType('Catalog')
export class CatalogModel {
  @Field(() => [TargetOfferModel]) offers!: TargetOfferModel[];
  @Field(() => [ComplianceFrameworkModel]) frameworks!: ComplianceFrameworkModel[];
}

@InputType()
export class TargetOfferInput {
  @Field(() => ID, { description: 'Lower-case letters, digits and dashes; an existing id edits that offer.' })
  id!: string;
  @Field(() => String) provider!: string;
  @Field(() => String) name!: string;
  @Field(() => QualificationStatusModel) secNumCloudStatus!: QualificationStatusModel;
  @Field(() => String, { nullable: true }) secNumCloudMilestone?: string | null;
  @Field(() => String, { nullable: true }) expectedQualification?: string | null;
  @Field(() => Boolean) hds!: boolean;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => String, { nullable: true }) asOf?: string | null;
  @Field(() => String, { nullable: true }) sourceUrl?: string | null;
}

@InputType()
export class FrameworkRequirementInput {
  @Field(() => String) code!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
}

@InputType()
export class ComplianceFrameworkInput {
  @Field(() => ID, { description: 'Upper-case letters, digits and underscores; an existing id edits it.' }) id!: string;
  @Field(() => String) name!: string;
  @Field(() => [FrameworkRequirementInput]) requirements!: FrameworkRequirementInput[];
  @Field(() => String, { nullable: true }) asOf?: string | null;
  @Field(() => String, { nullable: true }) sourceUrl?: string | null;
}
