import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry, initializePlan } from './edit.js';
import { applyInventory, previewInventory } from './inventory.js';

function planWithDirectory() {
  const doc = new Y.Doc();
  initializePlan(doc, { title: 'Inventaire' });
  createEntry(doc, 'workloads', { name: 'Annuaire LDAP', criticality: 'HIGH' });
  return doc;
}

describe('inventory import', () => {
  it('previews each row: what it would do, and its errors, before anything is written', () => {
    const doc = planWithDirectory();
    const before = Y.encodeStateVector(doc);
    const preview = previewInventory(
      [
        ['Nom', 'Criticité', 'Données', 'Stratégie', 'Vague', 'Dépendances', 'Commentaire'],
        ['Messagerie', 'critique', 'interne', 'Rehost', '1', 'annuaire ldap', 'x'],
        ['annuaire  LDAP', 'Élevée', 'sensible', 'retain', '', '', ''],
        ['Portail', 'urgent', 'santé', 'refactor', '2', 'Messagerie; Dossiers', ''],
        ['', '', '', '', '', '', ''],
        ['Messagerie', 'LOW', '', '', '120', '', ''],
      ],
      readPlan(doc).workloads,
    );
    expect(preview.fileErrors).toEqual([]);
    expect(preview.ignoredColumns).toEqual(['Commentaire']);
    expect(preview.rows.map((row) => [row.line, row.name, row.action])).toEqual([
      [2, 'Messagerie', 'CREATE'],
      [3, 'annuaire  LDAP', 'UPDATE'],
      [4, 'Portail', 'SKIP'],
      [6, 'Messagerie', 'SKIP'],
    ]);
    expect(preview.rows[0]!.values).toEqual({
      criticality: 'CRITICAL',
      dataClassification: 'INTERNAL',
      strategy: 'REHOST',
      wave: 1,
    });
    expect(preview.rows[2]!.errors).toEqual([
      'criticality "urgent" is not one of LOW, MEDIUM, HIGH, CRITICAL',
      'depends on "Dossiers", which is neither in the file nor in the plan',
    ]);
    expect(preview.rows[3]!.errors).toEqual([
      'wave "120" is not a whole number from 0 to 99',
      '"Messagerie" is already on an earlier line',
    ]);
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('applies the valid rows in one transaction, dependencies by name', () => {
    const doc = planWithDirectory();
    const existing = readPlan(doc).workloads;
    const preview = previewInventory(
      [
        ['name', 'strategy', 'dependsOn'],
        ['Messagerie', 'REHOST', 'Annuaire LDAP'],
        ['Portail', 'REFACTOR', 'Messagerie|Annuaire LDAP'],
        ['Annuaire LDAP', 'RETAIN', ''],
      ],
      existing,
    );
    let transactions = 0;
    doc.on('afterTransaction', () => (transactions += 1));
    expect(applyInventory(doc, preview, existing)).toEqual({ created: 2, updated: 1, skipped: 0 });
    expect(transactions).toBe(1);
    const workloads = readPlan(doc).workloads;
    const idOf = (name: string) => workloads.find((workload) => workload.name === name)!.id;
    expect(workloads.map((workload) => [workload.name, workload.strategy, workload.criticality])).toEqual([
      ['Annuaire LDAP', 'RETAIN', 'HIGH'],
      ['Messagerie', 'REHOST', 'MEDIUM'],
      ['Portail', 'REFACTOR', 'MEDIUM'],
    ]);
    expect(workloads[2]!.dependsOn).toEqual([idOf('Messagerie'), idOf('Annuaire LDAP')]);
  });

  it('refuses a file without a name column, and rows whose dependencies go round in a circle', () => {
    expect(previewInventory([['criticality'], ['HIGH']], []).fileErrors).toHaveLength(1);
    const preview = previewInventory(
      [
        ['name', 'dependsOn'],
        ['A', 'B'],
        ['B', 'A'],
        ['C', 'C'],
      ],
      [],
    );
    expect(preview.rows.map((row) => row.errors)).toEqual([
      ['its dependencies lead back to it (a cycle)'],
      ['its dependencies lead back to it (a cycle)'],
      ['depends on itself'],
    ]);
    // A valid row that depends on one left out is left out too, rather than failing the import.
    const doc = new Y.Doc();
    initializePlan(doc, { title: 'Chaîne' });
    const chained = previewInventory(
      [
        ['name', 'dependsOn'],
        ['A', 'B'],
        ['B', 'A'],
        ['D', 'A'],
        ['E', ''],
      ],
      [],
    );
    expect(chained.rows.map((row) => row.action)).toEqual(['SKIP', 'SKIP', 'SKIP', 'CREATE']);
    expect(chained.rows[2]!.errors).toEqual(['depends on "A", which is left out for its errors']);
    expect(applyInventory(doc, chained, [])).toEqual({ created: 1, updated: 0, skipped: 3 });
  });
});
