import type { TableColumnOptions } from 'typeorm';

/** Column shapes for migrations written once for both dialects. */
export const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});

/** Unbounded text (JSON documents, long values); nullable. */
export const longText = (name: string): TableColumnOptions => ({ name, type: 'text', isNullable: true });
