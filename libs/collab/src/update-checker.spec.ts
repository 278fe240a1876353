import { afterEach, describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { checkUpdate, INLINE_CHECK_BYTES, UpdateChecker } from './update-checker.js';

function updateOfSize(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

describe('UpdateChecker', () => {
  const checker = new UpdateChecker();
  afterEach(() => checker.close());

  it('checks small updates at once, on the calling thread', () => {
    expect(checker.check(updateOfSize(10))).toBeNull();
    expect(typeof checker.check(new Uint8Array([0, 2, 5, 1, 2]))).toBe('string');
  });

  it('checks large updates in a worker thread, and gives what is wrong with garbage', async () => {
    const large = updateOfSize(INLINE_CHECK_BYTES * 2);
    const verdict = checker.check(large);
    expect(verdict).toBeInstanceOf(Promise);
    expect(await verdict).toBeNull();
    const garbage = new Uint8Array(INLINE_CHECK_BYTES + 1).fill(7);
    const problem = await checker.check(garbage);
    expect(problem).toEqual(checkUpdate(garbage));
    expect(problem).not.toBeNull();
  });

  it('keeps the answers of many checks apart, and starts again after being closed', async () => {
    const updates = Array.from({ length: 6 }, (_, index) =>
      index % 2 === 0 ? updateOfSize(INLINE_CHECK_BYTES + index) : new Uint8Array(INLINE_CHECK_BYTES + index).fill(9),
    );
    const verdicts = await Promise.all(updates.map((update) => checker.check(update)));
    expect(verdicts.map((verdict) => verdict === null)).toEqual([true, false, true, false, true, false]);
    await checker.close();
    expect(await checker.check(updateOfSize(INLINE_CHECK_BYTES * 2))).toBeNull();
  });
});
