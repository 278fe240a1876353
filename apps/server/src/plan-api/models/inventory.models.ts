import { Field, Int, ObjectType } from '@nestjs/graphql';
import { PlanModel } from './plan.models.js';

@ObjectType('InventoryImportRow')
export class InventoryImportRowModel {
  @Field(() => Int, { description: 'The line in the file (the header is line 1).' }) line!: number;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'CREATE, UPDATE (a workload of the same name) or SKIP (the row has errors).' })
  action!: string;
  @Field(() => [String]) errors!: string[];
}

@ObjectType('InventoryImportPreview', { description: 'What importing a file would do; nothing is written.' })
export class InventoryImportPreviewModel {
  @Field(() => [String], { description: 'Problems with the whole file: nothing can be imported.' })
  fileErrors!: string[];
  @Field(() => [String], { description: 'The columns recognised.' }) columns!: string[];
  @Field(() => [String]) ignoredColumns!: string[];
  @Field(() => [InventoryImportRowModel]) rows!: InventoryImportRowModel[];
  @Field(() => Int) creates!: number;
  @Field(() => Int) updates!: number;
  @Field(() => Int) skips!: number;
}

@ObjectType('InventoryImportResult')
export class InventoryImportResultModel {
  @Field(() => Int) created!: number;
  @Field(() => Int) updated!: number;
  @Field(() => Int, { description: 'Rows left out for their errors.' }) skipped!: number;
  @Field(() => PlanModel) plan!: object;
}
