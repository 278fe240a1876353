import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import {
  heatMap,
  nextMilestone,
  overallReadiness,
  progress,
  ragStatus,
  readinessByFramework,
  riskExposure,
  riskScore,
  scheduleSlippage,
  slipDays,
} from './analytics.js';
import { readPlan } from './document.js';
import { createEntry, initializePlan } from './edit.js';
import type { PlanContent } from './schema.js';

const TODAY = '2026-06-15';

function plan(build: (doc: Y.Doc) => void): PlanContent {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Plan', status: 'ACTIVE' });
  build(doc);
  return readPlan(doc);
}

describe('planning figures', () => {
  it('progress is the share of milestones done', () => {
    const content = plan((doc) => {
      createEntry(doc, 'milestones', { title: 'a', status: 'DONE' });
      createEntry(doc, 'milestones', { title: 'b', status: 'IN_PROGRESS' });
      createEntry(doc, 'milestones', { title: 'c' });
      createEntry(doc, 'milestones', { title: 'd', status: 'DONE' });
    });
    expect(progress(content.milestones)).toBe(0.5);
    expect(progress([])).toBe(0);
  });

  it('slippage counts days late for open milestones up to today and for done ones up to completion', () => {
    const content = plan((doc) => {
      createEntry(doc, 'milestones', { title: 'late, open', dueDate: '2026-06-01' });
      createEntry(doc, 'milestones', {
        title: 'done late',
        status: 'DONE',
        dueDate: '2026-03-01',
        completedOn: '2026-04-10',
      });
      createEntry(doc, 'milestones', {
        title: 'done early',
        status: 'DONE',
        dueDate: '2026-05-01',
        completedOn: '2026-04-20',
      });
      createEntry(doc, 'milestones', { title: 'future', dueDate: '2026-09-01' });
    });
    expect(content.milestones.map((milestone) => slipDays(milestone, TODAY))).toEqual([14, 40, 0, 0]);
    expect(scheduleSlippage(content.milestones, TODAY)).toBe(40);
    expect(nextMilestone(content.milestones)?.title).toBe('late, open');
  });

  it('scores risks, sums the active exposure and counts them on the 5x5 map', () => {
    const content = plan((doc) => {
      createEntry(doc, 'risks', { title: 'a', likelihood: 5, impact: 4 });
      createEntry(doc, 'risks', { title: 'b', likelihood: 5, impact: 4, status: 'ACCEPTED' });
      createEntry(doc, 'risks', { title: 'c', likelihood: 1, impact: 2 });
      createEntry(doc, 'risks', { title: 'closed', likelihood: 5, impact: 5, status: 'CLOSED' });
    });
    expect(content.risks.map(riskScore)).toEqual([20, 20, 2, 25]);
    expect(riskExposure(content.risks)).toBe(42);
    const map = heatMap(content.risks);
    expect(map[4]![3]).toBe(2);
    expect(map[0]![1]).toBe(1);
    expect(map[4]![4]).toBe(0);
    expect(map.flat().reduce((a, b) => a + b)).toBe(3);
  });

  it('compliance readiness per framework counts passed and waived checkpoints', () => {
    const content = plan((doc) => {
      createEntry(doc, 'checkpoints', { title: '19.2', framework: 'SECNUMCLOUD_3_2', status: 'PASSED' });
      createEntry(doc, 'checkpoints', { title: '19.3', framework: 'SECNUMCLOUD_3_2', status: 'WAIVED' });
      createEntry(doc, 'checkpoints', { title: '19.4', framework: 'SECNUMCLOUD_3_2', status: 'FAILED' });
      createEntry(doc, 'checkpoints', { title: '19.6', framework: 'SECNUMCLOUD_3_2', status: 'IN_REVIEW' });
      createEntry(doc, 'checkpoints', { title: 'DPIA', framework: 'GDPR' });
    });
    expect(readinessByFramework(content.checkpoints)).toEqual([
      { framework: 'GDPR', total: 1, passed: 0, waived: 0, inReview: 0, failed: 0, todo: 1, readiness: 0 },
      { framework: 'SECNUMCLOUD_3_2', total: 4, passed: 1, waived: 1, inReview: 1, failed: 1, todo: 0, readiness: 0.5 },
    ]);
    expect(overallReadiness(content.checkpoints)).toBe(0.4);
    expect(overallReadiness([])).toBeNull();
  });

  it('RAG: green when on track, amber on an overdue milestone or a high risk, red on an overdue cutover', () => {
    expect(
      ragStatus(
        plan(() => undefined),
        TODAY,
        'en',
      ),
    ).toEqual({ rag: 'GREEN', reasons: [] });
    const amber = plan((doc) => {
      createEntry(doc, 'milestones', { title: 'Pilot', dueDate: '2026-06-10' });
      createEntry(doc, 'risks', { title: 'Skills', likelihood: 3, impact: 4 });
    });
    expect(ragStatus(amber, TODAY, 'en')).toEqual({ rag: 'AMBER', reasons: ['1 overdue milestone', '1 high risk'] });
    const red = plan((doc) =>
      createEntry(doc, 'milestones', { title: 'Bascule', kind: 'CUTOVER', dueDate: '2026-06-14' }),
    );
    expect(ragStatus(red, TODAY, 'en')).toEqual({
      rag: 'RED',
      reasons: ['cutover "Bascule" is overdue', '1 overdue milestone'],
    });
    const failed = plan((doc) => createEntry(doc, 'checkpoints', { title: 'HDS', framework: 'HDS', status: 'FAILED' }));
    expect(ragStatus(failed, TODAY, 'en').rag).toBe('RED');
  });

  it('RAG: writes its reasons in the language asked for, with French plurals', () => {
    const late = plan((doc) => {
      createEntry(doc, 'milestones', { title: 'Bascule', kind: 'CUTOVER', dueDate: '2026-05-01' });
      createEntry(doc, 'milestones', { title: 'Pilote', dueDate: '2026-06-10', status: 'BLOCKED' });
      createEntry(doc, 'risks', { title: 'Lois extraterritoriales', likelihood: 5, impact: 4 });
      createEntry(doc, 'risks', { title: 'Compétences', likelihood: 3, impact: 4 });
      createEntry(doc, 'risks', { title: 'Coût', likelihood: 4, impact: 4 });
      createEntry(doc, 'checkpoints', { title: 'HDS', framework: 'HDS', status: 'FAILED' });
    });
    expect(ragStatus(late, TODAY, 'fr')).toEqual({
      rag: 'RED',
      reasons: [
        'la bascule « Bascule » est en retard',
        'glissement du planning de 45 jours',
        '1 risque critique',
        '1 point de contrôle non conforme',
        '2 jalons en retard',
        '1 jalon bloqué',
        '2 risques élevés',
      ],
    });
    expect(ragStatus(late, TODAY, 'en').reasons).toEqual([
      'cutover "Bascule" is overdue',
      'schedule slipped 45 days',
      '1 critical risk',
      '1 failed checkpoint',
      '2 overdue milestones',
      '1 blocked milestone',
      '2 high risks',
    ]);
  });
});
