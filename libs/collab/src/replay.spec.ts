import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { replayStored, StoredMerger } from './replay.js';

/** A log of `count` separate updates, each appending to one text. */
function writeLog(count: number): { updates: Uint8Array[]; expected: string } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('notes');
  for (let i = 0; i < count; i += 1) text.insert(text.length, `line ${i}\n`);
  return { updates, expected: text.toString() };
}

describe('replayStored', () => {
  it('rebuilds the document from a snapshot and the log after it', async () => {
    const { updates, expected } = writeLog(50);
    const head = new Y.Doc();
    updates.slice(0, 20).forEach((update) => Y.applyUpdate(head, update));
    const doc = new Y.Doc();
    const bytes = await replayStored(doc, { snapshot: Y.encodeStateAsUpdate(head), updates: updates.slice(20) });
    expect(doc.getText('notes').toString()).toBe(expected);
    expect(bytes).toBe(
      Y.encodeStateAsUpdate(head).byteLength + updates.slice(20).reduce((n, u) => n + u.byteLength, 0),
    );
  });

  it('lets the event loop run during a long replay instead of holding it until the end', async () => {
    const { updates, expected } = writeLog(20_000);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    const doc = new Y.Doc();
    await replayStored(doc, { snapshot: null, updates });
    clearInterval(timer);
    expect(doc.getText('notes').toString()).toBe(expected);
    expect(ticks).toBeGreaterThan(0);
  });

  it('applies a slice of the log in one transaction, not one per update, with the origin given', async () => {
    const { updates, expected } = writeLog(1000);
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const origin = Symbol('load');
    await replayStored(doc, { snapshot: null, updates }, { origin });
    expect(doc.getText('notes').toString()).toBe(expected);
    // A slice lasts 8 ms at most: a thousand small updates take a few of them, far from a thousand.
    expect(origins.length).toBeLessThan(100);
    expect(new Set(origins)).toEqual(new Set([origin]));
  });

  it('reports a part it cannot apply and carries on, or throws when nobody listens', async () => {
    const { updates, expected } = writeLog(3);
    const log = [updates[0]!, new Uint8Array([0xff, 0xff, 0xff]), updates[1]!, updates[2]!];
    const skipped: number[] = [];
    const doc = new Y.Doc();
    await replayStored(doc, { snapshot: null, updates: log }, { onInvalid: (_error, index) => skipped.push(index) });
    expect(skipped).toEqual([1]);
    expect(doc.getText('notes').toString()).toBe(expected);
    await expect(replayStored(new Y.Doc(), { snapshot: null, updates: log })).rejects.toThrow();
  });
});

describe('StoredMerger', () => {
  it('merges a snapshot and its log into the state a replay gives, leaving out what cannot be applied', async () => {
    const merger = new StoredMerger();
    try {
      const { updates, expected } = writeLog(200);
      const head = new Y.Doc();
      updates.slice(0, 120).forEach((update) => Y.applyUpdate(head, update));
      // A view into a larger buffer, as database drivers hand rows over.
      const pooled = new Uint8Array(4096);
      const last = updates.at(-1)!;
      pooled.set(last, 100);
      const merged = await merger.merge({
        snapshot: Y.encodeStateAsUpdate(head),
        updates: [
          ...updates.slice(120, -1),
          Uint8Array.of(0xff, 0xff, 0xff),
          pooled.subarray(100, 100 + last.byteLength),
        ],
      });
      expect(merged.skipped).toBe(1);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, merged.state);
      expect(doc.getText('notes').toString()).toBe(expected);
    } finally {
      await merger.close();
    }
  });

  it('keeps the event loop free while it merges a large document', async () => {
    const merger = new StoredMerger();
    try {
      const { updates, expected } = writeLog(30_000);
      let ticks = 0;
      const timer = setInterval(() => (ticks += 1), 1);
      const merging = merger.merge({ snapshot: null, updates });
      // The merge runs elsewhere: this thread's timers keep firing until it answers.
      const merged = await merging;
      clearInterval(timer);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, merged.state);
      expect(doc.getText('notes').toString()).toBe(expected);
      expect(ticks).toBeGreaterThan(5);
    } finally {
      await merger.close();
    }
  });
});
