import { describe, expect, it } from '@jest/globals';
import { Committer } from './committer.js';
import type { CollabLogger, DocumentStore, PendingUpdate } from './ports.js';

const silent: CollabLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const update = (n: number): PendingUpdate => ({ planId: 'p', update: new Uint8Array([n]), actorId: null });

/** A store that records each transaction, and fails the first `failures` of them. */
function recordingStore(failures = 0): DocumentStore & { transactions: number[][] } {
  let remaining = failures;
  const transactions: number[][] = [];
  return {
    transactions,
    load: async () => ({ snapshot: null, updates: [] }),
    append: async (updates) => {
      if (remaining > 0) {
        remaining -= 1;
        throw new Error('database unavailable');
      }
      transactions.push(updates.map((entry) => entry.update[0]!));
    },
  };
}

describe('group commit', () => {
  it('stores updates that arrive together in one transaction, in order', async () => {
    const store = recordingStore();
    const committer = new Committer(store, silent);
    await Promise.all([1, 2, 3, 4, 5].map((n) => committer.append(update(n))));
    expect(store.transactions).toEqual([[1, 2, 3, 4, 5]]);
    await committer.append(update(6));
    expect(store.transactions).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('keeps updates through store failures and stores them, in order, once it recovers', async () => {
    const store = recordingStore(3);
    const committer = new Committer(store, silent, { initialMs: 5, maxMs: 20 });
    let stored = false;
    const first = committer.append(update(1)).then(() => (stored = true));
    const second = committer.append(update(2));
    await new Promise((resolve) => setTimeout(resolve, 8));
    expect(stored).toBe(false);
    const third = committer.append(update(3));
    await Promise.all([first, second, third]);
    expect(store.transactions.flat()).toEqual([1, 2, 3]);
  });

  it('drains: resolves once everything appended so far is stored', async () => {
    const store = recordingStore(1);
    const committer = new Committer(store, silent, { initialMs: 5, maxMs: 5 });
    void committer.append(update(1));
    void committer.append(update(2));
    await committer.drain();
    expect(store.transactions.flat()).toEqual([1, 2]);
  });
});
