import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/** A scrollable grid with its column headers and a last, unlabelled-on-screen column for row actions. */
export function DataTable({
  testId,
  columns,
  children,
}: {
  readonly testId: string;
  readonly columns: readonly string[];
  readonly children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="table-scroll">
      <table className="grid" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('editor.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
