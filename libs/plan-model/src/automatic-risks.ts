import * as Y from 'yjs';
import { createEntry, updateEntry } from './edit.js';
import type { EligibilityWarning } from './eligibility.js';

const PREFIX = 'eligibility:';

/** True when `syncEligibilityRisks` would change nothing (checked on read content, without a copy). */
export function eligibilityRisksInStep(
  risks: readonly { readonly automatic: string | null; readonly status: string }[],
  warnings: readonly EligibilityWarning[],
): boolean {
  const wanted = new Set(warnings.flatMap((warning) => (warning.risk === null ? [] : [`${PREFIX}${warning.code}`])));
  const marked = risks.filter((risk) => risk.automatic?.startsWith(PREFIX) === true);
  return (
    [...wanted].every((marker) => marked.some((risk) => risk.automatic === marker)) &&
    marked.every((risk) => wanted.has(risk.automatic ?? '') || risk.status === 'CLOSED')
  );
}

/**
 * Keeps the risks the server raises from eligibility warnings in step with them: a warning without
 * its risk gets one; a risk whose warning no longer holds is closed (kept, for the record). A risk a
 * user closed while its warning still holds stays closed: that was their call. Returns whether the
 * document changed.
 */
export function syncEligibilityRisks(doc: Y.Doc, warnings: readonly EligibilityWarning[]): boolean {
  const risks = [...doc.getMap<unknown>('risks').values()].filter(
    (risk): risk is Y.Map<unknown> => risk instanceof Y.Map,
  );
  const marked = new Map<string, Y.Map<unknown>>();
  for (const risk of risks) {
    const automatic = risk.get('automatic');
    if (typeof automatic === 'string' && automatic.startsWith(PREFIX)) marked.set(automatic, risk);
  }
  const wanted = new Map<string, NonNullable<EligibilityWarning['risk']>>(
    warnings.flatMap((warning) => (warning.risk === null ? [] : [[`${PREFIX}${warning.code}`, warning.risk] as const])),
  );
  let changed = false;
  doc.transact(() => {
    for (const [marker, risk] of wanted) {
      if (marked.has(marker)) continue;
      createEntry(doc, 'risks', { ...risk, automatic: marker }, { trusted: true });
      changed = true;
    }
    for (const [marker, risk] of marked) {
      if (wanted.has(marker) || risk.get('status') === 'CLOSED') continue;
      updateEntry(doc, 'risks', String(risk.get('id')), { status: 'CLOSED' }, { trusted: true });
      changed = true;
    }
  });
  return changed;
}
