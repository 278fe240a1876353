import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The one row that identifies this Bascule installation (its database), made on first start. */
@Entity({ name: 'installation' })
export class InstallationEntity {
  @PrimaryColumn({ type: 'integer' })
  slot!: number;

  @Column({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
