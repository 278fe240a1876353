import { describe, expect, it } from '@jest/globals';
import { LANGUAGES, type Localized } from './language.js';
import { RUNBOOK_TEMPLATES } from './runbook-template-data.js';
import type { RunbookTemplate } from './runbook-template-types.js';
import { RUNBOOK_STAGES } from './schema.js';
import { PLAN_TEMPLATES } from './templates.js';

/** Texts that are proper names, the same in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set<string>();

/** Every text of a runbook template, with where it is for the failure message. */
function textsOf(template: RunbookTemplate): [string, Localized][] {
  return [
    ['title', template.title],
    ['description', template.description],
    ...template.tasks.flatMap((task): [string, Localized][] => [
      [`${task.key}.title`, task.title],
      [`${task.key}.team`, task.team],
      [`${task.key}.instructions`, task.instructions],
      [`${task.key}.verification`, task.verification],
    ]),
  ];
}

const stageIndex = (stage: string): number => (RUNBOOK_STAGES as readonly string[]).indexOf(stage);

describe('RUNBOOK_TEMPLATES', () => {
  it('has unique ids', () => {
    const ids = RUNBOOK_TEMPLATES.map((template) => template.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names only plan templates that exist', () => {
    const planIds = new Set(PLAN_TEMPLATES.map((plan) => plan.id));
    for (const template of RUNBOOK_TEMPLATES) {
      expect(template.planTemplates.filter((id) => !planIds.has(id))).toEqual([]);
    }
  });

  it('suits every plan template, first with a runbook other than the generic database move', () => {
    for (const plan of PLAN_TEMPLATES) {
      const first = RUNBOOK_TEMPLATES.find((template) => template.planTemplates.includes(plan.id));
      expect({ plan: plan.id, first: first?.id }).toEqual({ plan: plan.id, first: expect.any(String) });
      expect(first?.id).not.toBe('database-move');
    }
  });

  describe.each(RUNBOOK_TEMPLATES.map((template) => [template.id, template] as const))('%s', (_id, template) => {
    const rollbackKeys = new Set(template.tasks.filter((task) => task.stage === 'ROLLBACK').map((task) => task.key));
    const forward = template.tasks.filter((task) => task.stage !== 'ROLLBACK');

    it('has between 12 and 22 tasks, 2 to 5 of them in the rollback stage', () => {
      expect(template.tasks.length).toBeGreaterThanOrEqual(12);
      expect(template.tasks.length).toBeLessThanOrEqual(22);
      expect(rollbackKeys.size).toBeGreaterThanOrEqual(2);
      expect(rollbackKeys.size).toBeLessThanOrEqual(5);
    });

    it('has unique task keys', () => {
      const keys = template.tasks.map((task) => task.key);
      expect(new Set(keys).size).toBe(keys.length);
    });

    it('makes tasks wait on earlier tasks only, and never a forward task on a rollback one', () => {
      const earlier = new Set<string>();
      for (const task of template.tasks) {
        for (const key of task.after ?? []) {
          expect({ task: task.key, after: key, earlier: earlier.has(key) }).toEqual({
            task: task.key,
            after: key,
            earlier: true,
          });
          // A rollback task waits on rollback tasks only; a forward task on forward tasks only.
          expect({ task: task.key, after: key, rollback: rollbackKeys.has(key) }).toEqual({
            task: task.key,
            after: key,
            rollback: task.stage === 'ROLLBACK',
          });
        }
        earlier.add(task.key);
      }
    });

    it('points every rollback to a rollback-stage task of the same template', () => {
      for (const task of template.tasks) {
        if (task.rollback === undefined) continue;
        expect(task.stage).not.toBe('ROLLBACK');
        expect({ task: task.key, rollback: task.rollback, found: rollbackKeys.has(task.rollback) }).toEqual({
          task: task.key,
          rollback: task.rollback,
          found: true,
        });
      }
    });

    it('lists the forward tasks in stage order and covers every stage', () => {
      const indexes = forward.map((task) => stageIndex(task.stage));
      expect(indexes.every((index) => index >= 0)).toBe(true);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      expect(new Set(forward.map((task) => task.stage))).toEqual(
        new Set(RUNBOOK_STAGES.filter((stage) => stage !== 'ROLLBACK')),
      );
    });

    it('has an early go / no-go point and one before the switch, each judging earlier tasks', () => {
      const decisions = template.tasks.filter((task) => task.decision === true);
      expect(decisions.length).toBeGreaterThanOrEqual(2);
      for (const decision of decisions) {
        expect(decision.stage).not.toBe('ROLLBACK');
        expect(decision.after?.length ?? 0).toBeGreaterThan(0);
        expect(decision.duration).toBeGreaterThanOrEqual(10);
        expect(decision.duration).toBeLessThanOrEqual(20);
      }
      const early = decisions.filter((task) => stageIndex(task.stage) <= stageIndex('MIGRATE'));
      const beforeSwitch = decisions.filter((task) => task.stage === 'VALIDATE' || task.stage === 'SWITCH');
      expect(early.length).toBeGreaterThan(0);
      expect(beforeSwitch.length).toBeGreaterThan(0);
    });

    it('gives every task a positive duration in whole minutes', () => {
      for (const task of template.tasks) {
        expect(Number.isInteger(task.duration) && task.duration > 0).toBe(true);
        if (task.startOffset !== undefined) expect(Number.isInteger(task.startOffset)).toBe(true);
      }
    });

    it('writes every text in each language, French with typographic apostrophes', () => {
      for (const [where, text] of textsOf(template)) {
        for (const language of LANGUAGES) {
          expect({ where, language, empty: text[language].trim() === '' }).toEqual({ where, language, empty: false });
        }
        if (!SAME_IN_EVERY_LANGUAGE.has(text.en)) {
          expect({ where, translated: text.fr !== text.en }).toEqual({ where, translated: true });
        }
        expect({ where, straight: text.fr.includes("'") }).toEqual({ where, straight: false });
      }
    });
  });
});
