import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { LANGUAGES, type Language, type Localized } from './language.js';
import { applyTemplate, findTemplate, localizeTemplate, PLAN_TEMPLATES, type PlanTemplate } from './templates.js';

/** Texts that are proper names, the same in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set(['Teams', 'Azure PaaS', 'Google Cloud']);

/** Every text of a template (name, description, source, warning, and what it seeds). */
function textsOf(template: PlanTemplate): Localized[] {
  return [
    template.name,
    template.description,
    template.sourcePlatform,
    ...(template.warning === null ? [] : [template.warning]),
    ...template.milestones.map((milestone) => milestone.title),
    ...template.risks.flatMap((risk) => [risk.title, risk.mitigation]),
    ...template.checkpoints.map((checkpoint) => checkpoint.title),
    ...template.workloads.map((workload) => workload.name),
  ];
}

/** The texts a template seeded into a plan, in a stable order. */
function seededTexts(doc: Y.Doc): string[] {
  const plan = readPlan(doc);
  return [
    ...plan.milestones.map((milestone) => milestone.title),
    ...plan.risks.flatMap((risk) => [risk.title, risk.mitigation]),
    ...plan.checkpoints.map((checkpoint) => checkpoint.title),
    ...plan.workloads.map((workload) => workload.name),
  ].sort();
}

describe('plan templates', () => {
  it.each(PLAN_TEMPLATES.map((template) => [template.id, template] as const))(
    '%s makes a valid plan whose cutover is gated by its checkpoints',
    (_id, template) => {
      const doc = new Y.Doc();
      applyTemplate(doc, template, { title: 'Demo', startDate: '2027-01-04', language: 'en' });
      const plan = readPlan(doc);
      expect(plan.issues).toEqual([]);
      expect(plan.milestones).toHaveLength(template.milestones.length);
      expect(plan.risks.length).toBeGreaterThanOrEqual(1);
      const cutover = plan.milestones.find((milestone) => milestone.kind === 'CUTOVER')!;
      expect(plan.meta.targetDate).toBe(cutover.dueDate);
      expect(plan.checkpoints.some((checkpoint) => checkpoint.milestoneIds.includes(cutover.id))).toBe(true);
      for (const milestone of plan.milestones)
        for (const dep of milestone.dependsOn) {
          const before = plan.milestones.find((m) => m.id === dep)!;
          expect(before.dueDate! <= milestone.startDate!).toBe(true);
        }
    },
  );

  it('the Anthos on OVHcloud template warns that the offer ended and seeds that risk', () => {
    const template = findTemplate('apps-to-anthos-ovhcloud')!;
    expect(template.warning?.en).toContain('2022');
    expect(template.warning?.fr).toContain('2022');
    const doc = new Y.Doc();
    applyTemplate(doc, template, { title: 'Anthos', startDate: '2027-01-04', language: 'en' });
    const plan = readPlan(doc);
    expect(plan.meta.description).toContain('ended in November 2022');
    expect(plan.risks[0]).toMatchObject({ likelihood: 5, impact: 5, title: expect.stringContaining('ended') });
    const french = new Y.Doc();
    applyTemplate(french, template, { title: 'Anthos', startDate: '2027-01-04', language: 'fr' });
    expect(readPlan(french).meta.description).toContain('a pris fin en novembre 2022');
  });

  it.each(PLAN_TEMPLATES.map((template) => [template.id, template] as const))(
    '%s has a distinct French and English version of each text, proper names aside',
    (_id, template) => {
      for (const text of textsOf(template)) {
        expect(text.fr.trim()).not.toBe('');
        expect(text.en.trim()).not.toBe('');
        if (!SAME_IN_EVERY_LANGUAGE.has(text.en)) expect(text.fr).not.toBe(text.en);
      }
    },
  );

  it.each(
    PLAN_TEMPLATES.flatMap((template) => LANGUAGES.map((language) => [template.id, language, template] as const)),
  )('%s applied in %s writes every text in that language only', (_id, language: Language, template) => {
    const other: Language = language === 'fr' ? 'en' : 'fr';
    const doc = new Y.Doc();
    applyTemplate(doc, template, { title: 'Plan', startDate: '2027-01-04', language });
    const plan = readPlan(doc);
    const seeded = seededTexts(doc);
    expect(seeded).toEqual(
      [
        ...template.milestones.map((milestone) => milestone.title[language]),
        ...template.risks.flatMap((risk) => [risk.title[language], risk.mitigation[language]]),
        ...template.checkpoints.map((checkpoint) => checkpoint.title[language]),
        ...template.workloads.map((workload) => workload.name[language]),
      ].sort(),
    );
    expect(plan.meta.sourcePlatform).toBe(template.sourcePlatform[language]);
    expect(plan.meta.description).toBe(
      [template.description, template.warning].flatMap((text) => (text === null ? [] : [text[language]])).join('\n\n'),
    );
    const foreign = new Set(
      textsOf(template)
        .map((text) => text[other])
        .filter((text) => !SAME_IN_EVERY_LANGUAGE.has(text)),
    );
    for (const text of [...seeded, plan.meta.sourcePlatform, plan.meta.description])
      expect(foreign.has(text ?? '')).toBe(false);
  });

  it('lists a template in one language, with what it seeds', () => {
    const template = findTemplate('m365-to-bleu')!;
    expect(localizeTemplate(template, 'fr')).toEqual({
      id: 'm365-to-bleu',
      name: 'Microsoft 365 vers Bleu',
      description: template.description.fr,
      sourcePlatform: 'Microsoft 365 (international)',
      targetOfferId: 'bleu',
      dataSensitivity: 'SENSITIVE',
      warning: null,
      milestones: 8,
      risks: 5,
      checkpoints: 8,
      workloads: 3,
    });
    expect(localizeTemplate(findTemplate('apps-to-anthos-ovhcloud')!, 'en')).toMatchObject({
      name: 'Applications to Anthos on OVHcloud',
      warning: expect.stringContaining('ended in November 2022'),
    });
  });
});
