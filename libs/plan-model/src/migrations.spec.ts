import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { readPlan } from './document.js';
import { createEntry } from './edit.js';
import { migratePlan, NewerSchemaError } from './migrations.js';
import { PLAN_SCHEMA_VERSION } from './schema-version.js';

describe('document schema migrations', () => {
  it('brings a document from before the schema to the current version, once', () => {
    const doc = new Y.Doc();
    expect(migratePlan(doc, { title: 'From the registry' })).toBe(true);
    expect(readPlan(doc).meta).toMatchObject({
      schemaVersion: PLAN_SCHEMA_VERSION,
      title: 'From the registry',
      status: 'DRAFT',
    });
    expect(readPlan(doc).issues).toEqual([]);
    expect(migratePlan(doc, { title: 'ignored' })).toBe(false);
  });

  it('keeps what an old document already holds', () => {
    const doc = new Y.Doc();
    doc.getMap('plan').set('title', 'Written by an early client');
    migratePlan(doc, { title: 'From the registry' });
    expect(readPlan(doc).meta.title).toBe('Written by an early client');
  });

  it('two replicas migrating at once converge to the same document', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    migratePlan(a, { title: 'T' });
    migratePlan(b, { title: 'T' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readPlan(a)).toEqual(readPlan(b));
    expect(readPlan(a).meta.schemaVersion).toBe(PLAN_SCHEMA_VERSION);
  });

  it('refuses to edit a document written by a newer schema', () => {
    const doc = new Y.Doc();
    doc.getMap('plan').set('schemaVersion', PLAN_SCHEMA_VERSION + 1);
    expect(() => migratePlan(doc, { title: 'T' })).toThrow(NewerSchemaError);
    expect(() => createEntry(doc, 'risks', { title: 'x' })).toThrow(NewerSchemaError);
  });
});
