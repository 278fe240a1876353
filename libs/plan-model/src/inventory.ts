import type * as Y from 'yjs';
import type { Values } from './document.js';
import { createEntry, updateEntry } from './edit.js';
import { CRITICALITIES, DATA_SENSITIVITIES, STRATEGIES, type Workload } from './schema.js';

/** The columns an inventory file may have, each under the names discovery tools and spreadsheets use. */
const COLUMNS = {
  name: ['name', 'workload', 'application', 'nom', 'app'],
  criticality: ['criticality', 'criticité', 'criticite', 'tier'],
  dataClassification: [
    'dataclassification',
    'classification',
    'data',
    'données',
    'donnees',
    'sensibilité',
    'sensibilite',
  ],
  strategy: ['strategy', 'stratégie', 'strategie', 'migration', '6r'],
  targetOfferId: ['targetofferid', 'target', 'cible', 'offer', 'offre'],
  owner: ['owner', 'responsable', 'propriétaire', 'proprietaire'],
  wave: ['wave', 'vague'],
  dependsOn: ['dependson', 'dependencies', 'dépendances', 'dependances', 'depends'],
} as const;
type Column = keyof typeof COLUMNS;

const normalize = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]/g, '');

/** Words accepted for each enumeration, French included; the schema's own values always are. */
const SYNONYMS: Record<'criticality' | 'dataClassification' | 'strategy', Record<string, string>> = {
  criticality: {
    faible: 'LOW',
    basse: 'LOW',
    moyenne: 'MEDIUM',
    normale: 'MEDIUM',
    haute: 'HIGH',
    élevée: 'HIGH',
    elevee: 'HIGH',
    critique: 'CRITICAL',
  },
  dataClassification: {
    publique: 'PUBLIC',
    interne: 'INTERNAL',
    sensible: 'SENSITIVE',
    santé: 'HEALTH',
    sante: 'HEALTH',
    hds: 'HEALTH',
  },
  strategy: {
    rehosting: 'REHOST',
    liftandshift: 'REHOST',
    replatforming: 'REPLATFORM',
    refactoring: 'REFACTOR',
    rearchitect: 'REFACTOR',
    repurchasing: 'REPURCHASE',
    saas: 'REPURCHASE',
    retirer: 'RETIRE',
    décommissionner: 'RETIRE',
    decommission: 'RETIRE',
    conserver: 'RETAIN',
  },
};
const ENUMS = { criticality: CRITICALITIES, dataClassification: DATA_SENSITIVITIES, strategy: STRATEGIES } as const;

export interface InventoryRow {
  /** The line in the file (the header is line 1). */
  readonly line: number;
  readonly name: string;
  /** CREATE a workload, UPDATE the one of the same name, or SKIP (the row has errors). */
  readonly action: 'CREATE' | 'UPDATE' | 'SKIP';
  readonly errors: readonly string[];
  /** The workload's fields, dependencies as names. */
  readonly values: Values;
  readonly dependsOn: readonly string[];
}

export interface InventoryPreview {
  /** Problems with the file as a whole (no name column): nothing can be imported. */
  readonly fileErrors: readonly string[];
  /** The columns recognised, and those ignored. */
  readonly columns: readonly string[];
  readonly ignoredColumns: readonly string[];
  readonly rows: readonly InventoryRow[];
}

/**
 * Reads an inventory (records as parsed from CSV, the first one the header) against the plan's
 * current workloads: each row is checked and told what importing would do, nothing is written.
 * Rows match existing workloads by name, case and spaces aside; dependencies name other workloads,
 * of the file or of the plan, separated by `;` or `|`; a dependency cycle is an error on each row
 * in it. `isKnownOffer` says whether a target offer id is in the catalog.
 */
export function previewInventory(
  records: readonly (readonly string[])[],
  existing: readonly Workload[],
  isKnownOffer: (offerId: string) => boolean = () => true,
): InventoryPreview {
  const [header = [], ...body] = records;
  const columnOf = new Map<number, Column>();
  const ignoredColumns: string[] = [];
  header.forEach((title, index) => {
    const column = (Object.keys(COLUMNS) as Column[]).find((key) =>
      (COLUMNS[key] as readonly string[]).includes(normalize(title)),
    );
    if (column === undefined || [...columnOf.values()].includes(column)) ignoredColumns.push(title);
    else columnOf.set(index, column);
  });
  if (![...columnOf.values()].includes('name'))
    return {
      fileErrors: [`no name column: the first line must name the columns (name, criticality, strategy, ...)`],
      columns: [...columnOf.values()],
      ignoredColumns,
      rows: [],
    };
  const key = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
  const known = new Map(existing.map((workload) => [key(workload.name), workload]));
  const seen = new Set<string>();
  const rows = body
    .map((record, index) => ({ record, line: index + 2 }))
    .filter(({ record }) => record.some((cell) => cell.trim() !== ''))
    .map(({ record, line }) => {
      const errors: string[] = [];
      const values: Values = {};
      let dependsOn: string[] = [];
      let name = '';
      columnOf.forEach((column, index) => {
        const raw = (record[index] ?? '').trim();
        if (column === 'name') name = raw;
        else if (raw === '') return;
        else if (column === 'criticality' || column === 'dataClassification' || column === 'strategy') {
          const word = normalize(raw);
          const value =
            ENUMS[column].find((allowed) => allowed.toLowerCase() === word) ?? SYNONYMS[column][word] ?? null;
          if (value === null) errors.push(`${column} "${raw}" is not one of ${ENUMS[column].join(', ')}`);
          else values[column] = value;
        } else if (column === 'wave') {
          const wave = Number(raw);
          if (!Number.isInteger(wave) || wave < 0 || wave > 99)
            errors.push(`wave "${raw}" is not a whole number from 0 to 99`);
          else values.wave = wave;
        } else if (column === 'targetOfferId') {
          if (!isKnownOffer(raw)) errors.push(`target "${raw}" is not an offer of the catalog`);
          else values.targetOfferId = raw;
        } else if (column === 'owner') {
          if (raw.length > 200) errors.push('owner is longer than 200 characters');
          else values.owner = raw;
        } else
          dependsOn = raw
            .split(/[;|]/)
            .map((item) => item.trim())
            .filter((item) => item !== '');
      });
      if (name === '') errors.push('name is empty');
      else if (name.length > 200) errors.push('name is longer than 200 characters');
      else if (seen.has(key(name))) errors.push(`"${name}" is already on an earlier line`);
      seen.add(key(name));
      return { line, name, errors, values, dependsOn };
    });

  // Dependencies: on a workload of the file or of the plan, never itself, and never in a circle.
  const inFile = new Map(rows.filter((row) => row.errors.length === 0).map((row) => [key(row.name), row]));
  for (const row of rows) {
    for (const dependency of row.dependsOn) {
      if (key(dependency) === key(row.name)) row.errors.push('depends on itself');
      else if (!inFile.has(key(dependency)) && !known.has(key(dependency)))
        row.errors.push(`depends on "${dependency}", which is neither in the file nor in the plan`);
    }
  }
  const edges = new Map<string, string[]>();
  for (const workload of existing)
    edges.set(
      key(workload.name),
      workload.dependsOn.map((id) => existing.find((other) => other.id === id)?.name ?? '').map(key),
    );
  for (const row of inFile.values()) edges.set(key(row.name), row.dependsOn.map(key));
  for (const row of rows) {
    if (row.errors.length > 0) continue;
    const start = key(row.name);
    const stack = [...(edges.get(start) ?? [])];
    const visited = new Set<string>();
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (next === start) {
        row.errors.push('its dependencies lead back to it (a cycle)');
        break;
      }
      if (visited.has(next)) continue;
      visited.add(next);
      stack.push(...(edges.get(next) ?? []));
    }
  }
  // A row depending on a file row that will be left out would point at nothing: left out too.
  const byName = new Map(rows.map((row) => [key(row.name), row]));
  for (let changed = true; changed;) {
    changed = false;
    for (const row of rows) {
      if (row.errors.length > 0) continue;
      const skipped = row.dependsOn.find((dependency) => {
        const other = byName.get(key(dependency));
        return other !== undefined && other.errors.length > 0 && !known.has(key(dependency));
      });
      if (skipped === undefined) continue;
      row.errors.push(`depends on "${skipped}", which is left out for its errors`);
      changed = true;
    }
  }
  return {
    fileErrors: [],
    columns: [...columnOf.values()],
    ignoredColumns,
    rows: rows.map((row) => ({
      ...row,
      action: row.errors.length > 0 ? 'SKIP' : known.has(key(row.name)) ? 'UPDATE' : 'CREATE',
    })),
  };
}

/**
 * Applies a preview's valid rows to the plan in one transaction: new workloads are created, those of
 * the same name updated (only the columns the file has), then dependencies are set by name. Rows with
 * errors are left out. Returns how many were created and updated.
 */
export function applyInventory(doc: Y.Doc, preview: InventoryPreview, existing: readonly Workload[]) {
  const key = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
  const ids = new Map(existing.map((workload) => [key(workload.name), workload.id]));
  const valid = preview.rows.filter((row) => row.action !== 'SKIP');
  let created = 0;
  let updated = 0;
  doc.transact(() => {
    for (const row of valid) {
      const id = ids.get(key(row.name));
      if (id === undefined) {
        ids.set(key(row.name), createEntry(doc, 'workloads', { ...row.values, name: row.name }));
        created += 1;
      } else {
        updateEntry(doc, 'workloads', id, { ...row.values, name: row.name });
        updated += 1;
      }
    }
    for (const row of valid)
      if (row.dependsOn.length > 0 || preview.columns.includes('dependsOn'))
        updateEntry(doc, 'workloads', ids.get(key(row.name)) as string, {
          dependsOn: row.dependsOn.map((name) => ids.get(key(name)) as string),
        });
  });
  return { created, updated, skipped: preview.rows.length - valid.length };
}
