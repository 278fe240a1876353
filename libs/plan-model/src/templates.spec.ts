import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { applyTemplate, findTemplate, PLAN_TEMPLATES } from './templates.js';

describe('plan templates', () => {
  it.each(PLAN_TEMPLATES.map((template) => [template.id, template] as const))(
    '%s makes a valid plan whose cutover is gated by its checkpoints',
    (_id, template) => {
      const doc = new Y.Doc();
      applyTemplate(doc, template, { title: 'Demo', startDate: '2027-01-04' });
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
    expect(template.warning).toContain('2022');
    const doc = new Y.Doc();
    applyTemplate(doc, template, { title: 'Anthos', startDate: '2027-01-04' });
    const plan = readPlan(doc);
    expect(plan.meta.description).toContain('ended in November 2022');
    expect(plan.risks[0]).toMatchObject({ likelihood: 5, impact: 5, title: expect.stringContaining('ended') });
  });
});
