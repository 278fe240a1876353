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
  eligibility(content, offer, 'en').map((warning) => warning.code);

describe('eligibility', () => {
  it('says nothing about internal data or a qualified target', () => {
    expect(codes(plan({ targetOfferId: 'bleu', dataSensitivity: 'INTERNAL' }), bleu)).toEqual([]);
    expect(codes(plan({ targetOfferId: 'outscale', dataSensitivity: 'HEALTH' }), outscale)).toEqual([]);
  });

  it('warns, with a risk, when sensitive data goes to an offer not qualified by the cutover', () => {
    const late = plan({ targetOfferId: 'bleu', dataSensitivity: 'SENSITIVE', targetDate: '2026-03-31' });
    const [warning] = eligibility(late, bleu, 'en');
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
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu, 'en'))).toBe(false);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu, 'en'))).toBe(true);
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu, 'en'))).toBe(true);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu, 'en'))).toBe(false);
    expect(readPlan(doc).risks).toEqual([
      expect.objectContaining({
        automatic: 'eligibility:NOT_QUALIFIED_BY_CUTOVER',
        status: 'OPEN',
        likelihood: 4,
        impact: 5,
      }),
    ]);
    updateMeta(doc, { dataSensitivity: 'INTERNAL' });
    expect(eligibilityRisksInStep(readPlan(doc).risks, eligibility(readPlan(doc), bleu, 'en'))).toBe(false);
    expect(syncEligibilityRisks(doc, eligibility(readPlan(doc), bleu, 'en'))).toBe(true);
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
    const warnings = inventoryEligibility(content, (id) => offers.get(id) ?? null, 'en');
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

describe('eligibility in French', () => {
  it('writes the messages and risks in the language asked for', () => {
    const late = plan({ targetOfferId: 'bleu', dataSensitivity: 'HEALTH', targetDate: '2026-03-31' });
    const [cutover, hds] = eligibility(late, bleu, 'fr');
    expect(cutover).toEqual({
      code: 'NOT_QUALIFIED_BY_CUTOVER',
      message: 'l’offre Bleu ne devrait pas être qualifiée SecNumCloud à la date de bascule prévue (2026-03-31)',
      risk: {
        title: 'Cible non qualifiée à la date de bascule prévue',
        category: 'QUALIFICATION',
        likelihood: 4,
        impact: 5,
        mitigation:
          'Repousser la bascule après la qualification attendue, ou migrer les applications sensibles en dernier.',
      },
    });
    expect(hds).toMatchObject({
      code: 'HDS_MISSING',
      message: 'les données de santé exigent un hébergeur certifié HDS ; l’offre Bleu ne l’est pas',
      risk: { title: 'L’offre Bleu n’est pas certifiée HDS pour les données de santé' },
    });
    const notQualified: OfferFacts = { ...outscale, name: 'Cloud X', secNumCloud: 'NOT_QUALIFIED' };
    expect(eligibility(plan({ targetOfferId: 'x', dataSensitivity: 'SENSITIVE' }), notQualified, 'fr')).toEqual([
      expect.objectContaining({
        code: 'NOT_QUALIFIED',
        message: 'les données sensibles exigent une offre qualifiée SecNumCloud ; l’offre Cloud X ne l’est pas',
      }),
    ]);
    expect(eligibility(plan({ targetOfferId: 'nowhere' }), null, 'fr')).toEqual([
      { code: 'UNKNOWN_TARGET', message: 'l’offre cible nowhere n’est pas au catalogue', risk: null },
    ]);
  });

  it('keeps the same codes and risk figures in every language', () => {
    const content = plan({ targetOfferId: 'bleu', dataSensitivity: 'HEALTH', targetDate: '2026-09-30' });
    const strip = (warnings: ReturnType<typeof eligibility>) =>
      warnings.map((warning) => [warning.code, warning.risk?.likelihood, warning.risk?.impact]);
    expect(strip(eligibility(content, bleu, 'fr'))).toEqual(strip(eligibility(content, bleu, 'en')));
    const fr = eligibility(content, bleu, 'fr');
    const en = eligibility(content, bleu, 'en');
    fr.forEach((warning, index) => {
      expect(warning.message).not.toBe(en[index]!.message);
      expect(warning.risk?.title).not.toBe(en[index]!.risk?.title);
      expect(warning.risk?.mitigation).not.toBe(en[index]!.risk?.mitigation);
    });
  });

  it('prefixes inventory warnings with the workload, French punctuation included', () => {
    const content = plan({ targetOfferId: 'bleu', targetDate: '2026-12-15' }, [
      { name: 'Imagerie', dataClassification: 'HEALTH' },
    ]);
    const warnings = inventoryEligibility(content, (id) => (id === 'bleu' ? bleu : null), 'fr');
    expect(warnings.map((warning) => warning.message)).toEqual([
      'Imagerie : l’offre Bleu attend sa qualification SecNumCloud d’ici le 2026-06-30, avant la bascule, mais ne l’a pas encore obtenue',
      'Imagerie : les données de santé exigent un hébergeur certifié HDS ; l’offre Bleu ne l’est pas',
    ]);
  });
});
