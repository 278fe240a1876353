import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry, initializePlan } from './edit.js';

describe('readPlan', () => {
  it('reads what a careless client wrote, replacing bad values and saying where', () => {
    const doc = new Y.Doc();
    doc.getMap('plan').set('title', 42);
    doc.getMap('plan').set('status', 'SOMEDAY');
    const risks = doc.getMap('risks');
    const risk = new Y.Map<unknown>();
    risks.set('r1', risk);
    risk.set('id', 'r1');
    risk.set('position', 1);
    risk.set('title', 'Skills');
    risk.set('likelihood', 9);
    risk.set('impact', '5');
    risks.set('r2', 'not a map');
    const plan = readPlan(doc);
    expect(plan.meta).toMatchObject({ title: '', status: 'DRAFT', schemaVersion: 0 });
    expect(plan.risks).toEqual([expect.objectContaining({ id: 'r1', title: 'Skills', likelihood: 3, impact: 3 })]);
    expect(plan.issues.map((issue) => issue.path).sort()).toEqual(
      ['plan/status', 'plan/title', 'plan/title', 'risks/r1/impact', 'risks/r1/likelihood', 'risks/r2'].sort(),
    );
  });

  it('says when a list holds more than its limit instead of cutting it silently', () => {
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Inventaire' });
    const first = createEntry(doc, 'workloads', { name: 'Messagerie' });
    const others = Array.from({ length: 101 }, (_, index) => createEntry(doc, 'workloads', { name: `App ${index}` }));
    const checkpoint = createEntry(doc, 'checkpoints', { title: 'Preuves', framework: 'HDS' });
    // A raw client writes past the limits that the API refuses.
    doc.getMap<Y.Map<unknown>>('workloads').get(first)!.set('dependsOn', Y.Array.from(others));
    const links = Array.from({ length: 51 }, (_, index) => `https://ged.example.fr/preuve/${index}`);
    doc.getMap<Y.Map<unknown>>('checkpoints').get(checkpoint)!.set('evidence', Y.Array.from(links));
    const plan = readPlan(doc);
    expect(plan.workloads.find((workload) => workload.id === first)!.dependsOn).toHaveLength(100);
    expect(plan.checkpoints[0]!.evidence).toEqual(links.slice(0, 50));
    expect(plan.issues).toEqual(
      expect.arrayContaining([
        { path: `workloads/${first}/dependsOn`, message: 'holds 101 items, more than 100: the first 100 kept' },
        { path: `checkpoints/${checkpoint}/evidence`, message: 'holds 51 items, more than 50: the first 50 kept' },
      ]),
    );
  });

  it('reports top-level types a client used as something else, and reads the rest', () => {
    const writer = new Y.Doc();
    writer.getArray('milestones').push(['Landing zone']);
    writer.getText('risks').insert(0, 'not a register');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
    const plan = readPlan(doc);
    expect(plan.milestones).toEqual([]);
    expect(plan.issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['milestones', 'risks']));
  });

  it('breaks a dependency cycle made by two concurrent edits, the same way on every replica', () => {
    const base = new Y.Doc();
    initializePlan(base, { title: 'Cycle' });
    const a = createEntry(base, 'milestones', { title: 'A' });
    const b = createEntry(base, 'milestones', { title: 'B' });
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(base));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(base));
    const setDeps = (doc: Y.Doc, id: string, deps: string[]) => {
      const list = new Y.Array<string>();
      list.push(deps);
      doc.getMap<Y.Map<unknown>>('milestones').get(id)!.set('dependsOn', list);
    };
    setDeps(alice, a, [b]);
    setDeps(bob, b, [a]);
    Y.applyUpdate(alice, Y.encodeStateAsUpdate(bob));
    Y.applyUpdate(bob, Y.encodeStateAsUpdate(alice));
    const fromAlice = readPlan(alice);
    expect(fromAlice).toEqual(readPlan(bob));
    expect(fromAlice.milestones.flatMap((m) => m.dependsOn)).toHaveLength(1);
    expect(fromAlice.issues).toEqual([expect.objectContaining({ message: expect.stringContaining('cycle') })]);
  });

  it('extracts the notes as plain text, one line per block', () => {
    const doc = new Y.Doc();
    const notes = doc.getXmlFragment('notes');
    const heading = new Y.XmlElement('heading');
    heading.insert(0, [new Y.XmlText('Décisions')]);
    const list = new Y.XmlElement('bulletList');
    const item = new Y.XmlElement('listItem');
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('Bascule le ');
    paragraph.insert(0, [text]);
    item.insert(0, [paragraph]);
    list.insert(0, [item]);
    notes.insert(0, [heading, list]);
    text.insert(text.length, '15 mars', { bold: true });
    expect(readPlan(doc).notesText).toBe('Décisions\nBascule le 15 mars');
  });

  it('never throws, whatever values a client puts in the maps (property)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.oneof(fc.string(), fc.integer())),
      fc.constantFrom('DONE', 'OPEN', 'PASSED', '2026-01-01', 'https://example.org'),
    );
    const field = fc.constantFrom(
      'id',
      'position',
      'title',
      'status',
      'dueDate',
      'startDate',
      'likelihood',
      'impact',
      'dependsOn',
      'milestoneIds',
      'evidence',
      'wave',
      'mitigation',
      'framework',
      'name',
      'completedOn',
    );
    const entry = fc.dictionary(field, value, { maxKeys: 8 });
    const collection = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), entry, { maxKeys: 4 });
    fc.assert(
      fc.property(
        fc.record({ milestones: collection, risks: collection, checkpoints: collection, workloads: collection }),
        fc.dictionary(field, value),
        (collections, meta) => {
          const doc = new Y.Doc();
          for (const [key, raw] of Object.entries(meta)) doc.getMap('plan').set(key, raw);
          for (const [name, entries] of Object.entries(collections)) {
            for (const [id, fields] of Object.entries(entries)) {
              const map = new Y.Map<unknown>();
              doc.getMap(name).set(id, map);
              for (const [key, raw] of Object.entries(fields))
                map.set(key, Array.isArray(raw) ? Y.Array.from(raw as (string | number)[]) : raw);
            }
          }
          const plan = readPlan(doc);
          expect(readPlan(doc)).toEqual(plan);
          for (const milestone of plan.milestones)
            for (const dep of milestone.dependsOn) expect(dep).not.toBe(milestone.id);
        },
      ),
      { numRuns: 300 },
    );
  });
});
