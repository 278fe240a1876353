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
  /** `done`: the share of the phase's bytes read or sent (0 to 1); null while the server works. */
  | { readonly kind: 'busy'; readonly what: 'reading' | 'checking' | 'importing'; readonly done: number | null }
  | { readonly kind: 'preview'; readonly csv: string; readonly preview: Preview }
  | { readonly kind: 'done'; readonly created: number; readonly updated: number; readonly skipped: number }
  | { readonly kind: 'error'; readonly message: string };

/** A file's text, with the share read so far told as it goes. */
function readText(file: File, onProgress: (done: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}

/**
 * Loads a workload inventory from CSV: every row checked and shown before anything is written, a
 * progress bar while the file is read and sent (then while the server checks or applies it).
 */
export function InventoryImport({ planId }: { readonly planId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const fail = (error: unknown) =>
    setStep({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  /** Reports a phase's progress; once everything is sent, the server is at work (no measure). */
  const progress = (what: 'reading' | 'checking' | 'importing') => (done: number) =>
    setStep({ kind: 'busy', what, done: what !== 'reading' && done >= 1 ? null : done });

  const choose = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    try {
      setStep({ kind: 'busy', what: 'reading', done: 0 });
      const csv = await readText(file, progress('reading'));
      setStep({ kind: 'busy', what: 'checking', done: 0 });
      const result = await session.request<{ previewInventoryImport: Preview }>(
        PREVIEW,
        { planId, csv },
        { onUploadProgress: progress('checking') },
      );
      setStep({ kind: 'preview', csv, preview: result.previewInventoryImport });
    } catch (error) {
      fail(error);
    }
  };
  const apply = async (csv: string) => {
    try {
      setStep({ kind: 'busy', what: 'importing', done: 0 });
      const result = await session.request<{ importInventory: { created: number; updated: number; skipped: number } }>(
        IMPORT,
        { planId, csv },
        { onUploadProgress: progress('importing') },
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
        {step.kind === 'busy' && (
          <p className="import-progress">
            <span>{t(`import.${step.what}`)}</span>
            {/* Without a value, the bar says "under way" (the server is checking or writing). */}
            <progress
              max={1}
              value={step.done ?? undefined}
              aria-label={t(`import.${step.what}`)}
              data-testid="import-progress"
            />
            {step.done !== null && <span>{Math.round(step.done * 100)} %</span>}
          </p>
        )}
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
