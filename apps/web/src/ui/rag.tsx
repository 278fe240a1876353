import { useI18n } from '../i18n/i18n';

export type Rag = 'GREEN' | 'AMBER' | 'RED';

export const RAG_COLORS: Record<Rag, string> = { GREEN: 'var(--green)', AMBER: 'var(--amber)', RED: 'var(--red)' };

/** The RAG status as a coloured badge with its words (colour is never the only signal). */
export function RagBadge({ rag, reasons = [] }: { readonly rag: Rag; readonly reasons?: readonly string[] }) {
  const { t } = useI18n();
  return (
    <span className={`rag rag-${rag.toLowerCase()}`} title={reasons.join('\n')} data-testid="rag">
      {t(`rag.${rag}`)}
    </span>
  );
}
