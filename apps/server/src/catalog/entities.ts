import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Columns every catalog row has: built-in (organization null) or an organization's own version. */
abstract class CatalogRow {
  @PrimaryColumn({ name: 'row_id', type: 'varchar', length: 36 }) rowId!: string;
  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true }) organizationId!: string | null;
  @Column({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'as_of', type: 'varchar', length: 10, nullable: true }) asOf!: string | null;
  @Column({ name: 'source_url', type: 'varchar', length: 2000, nullable: true }) sourceUrl!: string | null;
  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true }) updatedBy!: string | null;
  @Column({ name: 'updated_at', type: Date }) updatedAt!: Date;
}

@Entity({ name: 'catalog_offers' })
export class CatalogOfferEntity extends CatalogRow {
  @Column({ type: 'varchar', length: 200 }) provider!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'secnumcloud_status', type: 'varchar', length: 16 }) secNumCloudStatus!: string;
  @Column({ name: 'secnumcloud_milestone', type: 'varchar', length: 64, nullable: true })
  secNumCloudMilestone!: string | null;
  @Column({ name: 'expected_qualification', type: 'varchar', length: 10, nullable: true })
  expectedQualification!: string | null;
  @Column({ type: 'boolean' }) hds!: boolean;
  @Column({ type: 'text' }) notes!: string;
}

export interface FrameworkRequirement {
  readonly code: string;
  readonly title: string;
  readonly description: string;
}

@Entity({ name: 'catalog_frameworks' })
export class CatalogFrameworkEntity extends CatalogRow {
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ type: 'simple-json' }) requirements!: FrameworkRequirement[];
}
