import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry, initializePlan } from './edit.js';
import { effectiveSensitivity, eligibility, inventoryEligibility, type OfferFacts } from './eligibility.js';
import type { PlanContent } from './schema.js';

const bleu: OfferFacts = {
  id: 'bleu',
  name: 'Bleu',
  secNumCloud: 'IN_PROGRESS',
  expectedQualification: '2026-06-30',
  hds: false,
};
const outscale: OfferFacts = {
  id: 'outscale',
  name: 'Outscale',
  secNumCloud: 'QUALIFIED',
  expectedQualification: null,
  hds: true,
};

function plan(meta: Record<string, unknown>, workloads: Record<string, unknown>[] = []): PlanContent {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Plan', ...meta });
  for (const workload of workloads) createEntry(doc, 'workloads', workload);
  return readPlan(doc);
}

const codes = (content: PlanContent, offer: OfferFacts | null) =>
  eligibility(content, offer).map((warning) => warning.code);

describe('eligibility', () => {
  it('says nothing about internal data or a qualified target', () => {
    expect(codes(plan({ targetOfferId: 'bleu', dataSensitivity: 'INTERNAL' }), bleu)).toEqual([]);
    expect(codes(plan({ targetOfferId: 'outscale', dataSensitivity: 'HEALTH' }), outscale)).toEqual([]);
  });

  it('warns, with a risk, when sensitive data goes to an offer not qualified by the cutover', () => {
    const late = plan({ targetOfferId: 'bleu', dataSensitivity: 'SENSITIVE', targetDate: '2026-03-31' });
    const [warning] = eligibility(late, bleu);
    expect(warning).toMatchObject({
      code: 'NOT_QUALIFIED_BY_CUTOVER',
      risk: { title: 'Target not qualified by the planned cutover' },
    });
    const inTime = plan({ targetOfferId: 'bleu', dataSensitivity: 'SENSITIVE', targetDate: '2026-09-30' });
    expect(codes(inTime, bleu)).toEqual(['QUALIFICATION_PENDING']);
  });

  it('takes the most sensitive workload into account, and health data needs HDS', () => {
    const content = plan({ targetOfferId: 'bleu', dataSensitivity: 'INTERNAL' }, [
      { name: 'Dossier patient', dataClassification: 'HEALTH' },
    ]);
    expect(effectiveSensitivity(content)).toBe('HEALTH');
    expect(codes(content, bleu)).toEqual(['NOT_QUALIFIED_BY_CUTOVER', 'HDS_MISSING']);
  });

  it('flags a discontinued offer whatever the data, and an unknown one', () => {
    const anthos: OfferFacts = {
      id: 'anthos',
      name: 'Anthos on OVHcloud',
      secNumCloud: 'DISCONTINUED',
      expectedQualification: null,
      hds: false,
    };
    expect(codes(plan({ targetOfferId: 'anthos', dataSensitivity: 'PUBLIC' }), anthos)).toEqual([
      'TARGET_DISCONTINUED',
    ]);
    expect(codes(plan({ targetOfferId: 'nowhere' }), null)).toEqual(['UNKNOWN_TARGET']);
  });
});

describe('syncEligibilityRisks', () => {
  it('raises a risk per warning once, and closes it when the warning goes away', async () => {
    const { eligibilityRisksInStep, syncEligibilityRisks } = await import('./automatic-risks.js');
    const { updateMeta } = await import('./edit.js');
    const doc = new Y.Doc();
    initializePlan(doc, {
      title: 'Plan',
      targetOfferId: 'bleu',
      dataSensitivity: 'SENSITIVE',
      targetDate: '2026-03-31',
    });
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu))).toBe(false);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu))).toBe(true);
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu))).toBe(true);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu))).toBe(false);
    expect(readPlan(doc).risks).toEqual([
      expect.objectContaining({
        automatic: 'eligibility:NOT_QUALIFIED_BY_CUTOVER',
        status: 'OPEN',
        likelihood: 4,
        impact: 5,
      }),
    ]);
    updateMeta(doc, { dataSensitivity: 'INTERNAL' });
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu))).toBe(false);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu))).toBe(true);
    expect(readPlan(doc).risks[0]?.status).toBe('CLOSED');
  });
});

describe('eligibility across the inventory', () => {
  it("checks each workload's classification against its own target, or the plan's", () => {
    const content = plan({ targetOfferId: 'outscale', targetDate: '2026-12-15' }, [
      { name: 'Dossier patient', dataClassification: 'HEALTH' },
      { name: 'Messagerie', dataClassification: 'SENSITIVE', targetOfferId: 'bleu' },
      { name: 'Imagerie', dataClassification: 'HEALTH', targetOfferId: 'bleu' },
      { name: 'Site public', dataClassification: 'PUBLIC', targetOfferId: 'bleu' },
      { name: 'Archive', dataClassification: 'INTERNAL', targetOfferId: 'gone' },
    ]);
    const offers = new Map([bleu, outscale].map((offer) => [offer.id, offer]));
    const warnings = inventoryEligibility(content, (id) => offers.get(id) ?? null);
    const nameOf = (id: string) => content.workloads.find((workload) => workload.id === id)?.name;
    expect(warnings.map((warning) => [nameOf(warning.workloadId), warning.code])).toEqual([
      ['Messagerie', 'QUALIFICATION_PENDING'],
      ['Imagerie', 'QUALIFICATION_PENDING'],
      ['Imagerie', 'HDS_MISSING'],
      ['Archive', 'UNKNOWN_TARGET'],
    ]);
    expect(warnings[2]!.message).toBe('Imagerie: health data needs an HDS-certified host; Bleu is not');
  });
});
