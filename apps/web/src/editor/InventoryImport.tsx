import { type ChangeEvent, useState } from 'react';
import { useSession } from '../api/session-context';
import { useI18n } from '../i18n/i18n';

const PREVIEW = /* GraphQL */ `
  query PreviewInventory($planId: ID!, $csv: String!) {
    previewInventoryImport(planId: $planId, csv: $csv) {
      fileErrors
      ignoredColumns
      creates
      updates
      skips
      rows {
        line
        name
        action
        errors
      }
    }
  }
`;
const IMPORT = /* GraphQL */ `
  mutation ImportInventory($planId: ID!, $csv: String!) {
    importInventory(planId: $planId, csv: $csv) {
      created
      updated
      skipped
    }
  }
`;

interface Preview {
  readonly fileErrors: readonly string[];
  readonly ignoredColumns: readonly string[];
  readonly creates: number;
  readonly updates: number;
  readonly skips: number;
  readonly rows: readonly { line: number; name: string; action: string; errors: readonly string[] }[];
}

type Step =
  | { readonly kind: 'idle' }
  | { readonly kind: 'busy'; readonly what: 'reading' | 'checking' | 'importing' }
  | { readonly kind: 'preview'; readonly csv: string; readonly preview: Preview }
  | { readonly kind: 'done'; readonly created: number; readonly updated: number; readonly skipped: number }
  | { readonly kind: 'error'; readonly message: string };

/** Loads a workload inventory from CSV: every row checked and shown before anything is written. */
export function InventoryImport({ planId }: { readonly planId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const fail = (error: unknown) =>
    setStep({ kind: 'error', message: error instanceof Error ? error.message : String(error) });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    try {
      setStep({ kind: 'busy', what: 'reading' });
      const csv = await file.text();
      setStep({ kind: 'busy', what: 'checking' });
      const result = await session.request<{ previewInventoryImport: Preview }>(PREVIEW, { planId, csv });
      setStep({ kind: 'preview', csv, preview: result.previewInventoryImport });
    } catch (error) {
      fail(error);
    }
  };
  const apply = async (csv: string) => {
    try {
      setStep({ kind: 'busy', what: 'importing' });
      const result = await session.request<{ importInventory: { created: number; updated: number; skipped: number } }>(
        IMPORT,
        { planId, csv },
      );
      setStep({ kind: 'done', ...result.importInventory });
    } catch (error) {
      fail(error);
    }
  };

  return (
    <section className="card inventory-import" aria-labelledby="import-title" data-testid="inventory-import">
      <h3 id="import-title">{t('import.title')}</h3>
      <p className="muted">{t('import.hint')}</p>
      <label className="file-button">
        {t('import.choose')}
        <input type="file" accept=".csv,text/csv" onChange={(event) => void choose(event)} />
      </label>
      <div role="status" aria-live="polite">
        {step.kind === 'busy' && <p>{t(`import.${step.what}`)}</p>}
        {step.kind === 'done' && (
          <p>{t('import.done', { created: step.created, updated: step.updated, skipped: step.skipped })}</p>
        )}
      </div>
      {step.kind === 'error' && (
        <p role="alert" className="error">
          {step.message}
        </p>
      )}
      {step.kind === 'preview' && (
        <div className="import-preview" data-testid="import-preview">
          {step.preview.fileErrors.map((error) => (
            <p key={error} role="alert" className="error">
              {error}
            </p>
          ))}
          <p>
            {t('import.summary', {
              creates: step.preview.creates,
              updates: step.preview.updates,
              skips: step.preview.skips,
            })}
          </p>
          {step.preview.ignoredColumns.length > 0 && (
            <p className="muted">{t('import.ignored', { columns: step.preview.ignoredColumns.join(', ') })}</p>
          )}
          <ul>
            {step.preview.rows
              .filter((row) => row.errors.length > 0)
              .map((row) => (
                <li key={row.line} className="error">
                  {t('import.rowError', { line: row.line, name: row.name || '—', errors: row.errors.join('; ') })}
                </li>
              ))}
          </ul>
          {step.preview.creates + step.preview.updates > 0 && (
            <button type="button" onClick={() => void apply(step.csv)}>
              {t('import.apply', { count: step.preview.creates + step.preview.updates })}
            </button>
          )}
          <button type="button" className="secondary" onClick={() => setStep({ kind: 'idle' })}>
            {t('import.cancel')}
          </button>
        </div>
      )}
    </section>
  );
}
