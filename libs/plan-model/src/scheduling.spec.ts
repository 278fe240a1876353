import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry, initializePlan } from './edit.js';
import { criticalPath, planWaves, previewSlip, type ScheduleNode } from './scheduling.js';

const workload = (id: string, dependsOn: string[] = []) => ({ id, name: id, dependsOn });
const milestone = (
  id: string,
  startDate: string | null,
  dueDate: string | null,
  dependsOn: string[] = [],
): ScheduleNode => ({
  id,
  startDate,
  dueDate,
  dependsOn,
});

describe('migration waves', () => {
  // Directory first, then the apps that need it, then the portal that needs both apps.
  const inventory = [
    workload('portal', ['billing', 'records']),
    workload('directory'),
    workload('billing', ['directory']),
    workload('records', ['directory']),
    workload('archive'),
  ];

  it('puts each workload in the wave after everything it depends on', () => {
    expect(planWaves(inventory).waves).toEqual([
      { number: 1, workloadIds: ['directory', 'archive'] },
      { number: 2, workloadIds: ['billing', 'records'] },
      { number: 3, workloadIds: ['portal'] },
    ]);
  });

  it('with a capacity, pushes what does not fit to a later wave, dependencies still first', () => {
    expect(planWaves(inventory, { capacity: 1 }).waves.map((wave) => wave.workloadIds)).toEqual([
      ['directory'],
      ['billing'],
      ['records'],
      // Once its dependencies have moved, the portal comes before the archive, as in the inventory.
      ['portal'],
      ['archive'],
    ]);
    expect(() => planWaves(inventory, { capacity: 0 })).toThrow(RangeError);
  });

  it('reports a dependency cycle made by concurrent edits, with its members', () => {
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Cycle' });
    const a = createEntry(doc, 'workloads', { name: 'A' });
    const b = createEntry(doc, 'workloads', { name: 'B', dependsOn: [a] });
    const c = createEntry(doc, 'workloads', { name: 'C', dependsOn: [b] });
    // Another replica made A depend on C meanwhile: written raw, as a merge would leave it.
    const list = new Y.Array<string>();
    list.push([c]);
    doc.getMap<Y.Map<unknown>>('workloads').get(a)!.set('dependsOn', list);
    const plan = readPlan(doc);
    const waves = planWaves(plan.workloads, { issues: plan.issues });
    expect(waves.cycles).toHaveLength(1);
    expect([...waves.cycles[0]!.members].sort()).toEqual([a, b, c].sort());
    // The reader broke the cycle, so every workload still gets a wave.
    expect(waves.waves.flatMap((wave) => wave.workloadIds).sort()).toEqual([a, b, c].sort());
  });
});

describe('critical path and slips', () => {
  const plan = [
    milestone('discovery', '2027-01-04', '2027-01-29'),
    milestone('landing-zone', '2027-02-01', '2027-03-12', ['discovery']),
    milestone('training', '2027-02-01', '2027-02-26', ['discovery']),
    milestone('pilot', '2027-03-15', '2027-04-09', ['landing-zone', 'training']),
    milestone('cutover', '2027-04-12', '2027-04-16', ['pilot']),
    milestone('decommission', '2027-05-03', '2027-05-28', ['cutover']),
  ];

  it('follows the dependencies that finish last, from the start to the end of the plan', () => {
    expect(criticalPath(plan)).toEqual({
      milestoneIds: ['discovery', 'landing-zone', 'pilot', 'cutover', 'decommission'],
      finish: '2027-05-28',
      conflicts: [],
    });
  });

  it('flags a milestone that starts before what it depends on is due', () => {
    const late = plan.map((entry) => (entry.id === 'training' ? { ...entry, dueDate: '2027-03-19' } : entry));
    expect(criticalPath(late).conflicts).toEqual([{ milestoneId: 'pilot', dependsOnId: 'training', days: 4 }]);
    expect(criticalPath(late).milestoneIds).toEqual(['discovery', 'training', 'pilot', 'cutover', 'decommission']);
  });

  it('previews what slips when a date moves: dependents move as much as they must, keeping their length', () => {
    // The landing zone a week late: the pilot starts on the 19th instead of the 15th, and so on.
    expect(previewSlip(plan, 'landing-zone', '2027-03-19')).toEqual([
      { milestoneId: 'landing-zone', days: 7, startDate: '2027-02-01', dueDate: '2027-03-19' },
      { milestoneId: 'pilot', days: 4, startDate: '2027-03-19', dueDate: '2027-04-13' },
      { milestoneId: 'cutover', days: 1, startDate: '2027-04-13', dueDate: '2027-04-17' },
    ]);
    // Training has slack: three weeks late moves nothing else.
    expect(previewSlip(plan, 'training', '2027-03-12')).toEqual([
      { milestoneId: 'training', days: 14, startDate: '2027-02-01', dueDate: '2027-03-12' },
    ]);
    expect(previewSlip(plan, 'cutover', '2027-04-14').map((impact) => impact.days)).toEqual([-2]);
    expect(previewSlip(plan, 'nothing', '2027-04-14')).toEqual([]);
  });
});
