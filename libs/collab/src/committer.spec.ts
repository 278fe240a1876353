import { describe, expect, it } from '@jest/globals';
import { Committer, StoreBacklogError, UpdateRefusedError } from './committer.js';
import { type CollabLogger, type DocumentStore, type PendingUpdate, SYSTEM_AUTHOR } from './ports.js';

const silent: CollabLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const update = (n: number): PendingUpdate => ({
  documentName: 'p',
  update: new Uint8Array([n]),
  author: SYSTEM_AUTHOR,
});

/**
 * A store that records each transaction, fails the first `failures` of them, and always refuses a
 * transaction holding the update `poison` (a row breaking a constraint).
 */
function recordingStore(failures = 0, poison?: number): DocumentStore & { transactions: number[][] } {
  let remaining = failures;
  const transactions: number[][] = [];
  return {
    transactions,
    load: async () => ({ snapshot: null, updates: [] }),
    ping: async () => {
      if (remaining > 0) throw new Error('database unavailable');
    },
    append: async (updates) => {
      if (remaining > 0) {
        remaining -= 1;
        throw new Error('database unavailable');
      }
      if (updates.some((entry) => entry.update[0] === poison)) throw new Error('constraint violated');
      transactions.push(updates.map((entry) => entry.update[0]!));
      return updates.map((entry) => entry.update[0]!);
    },
  };
}

describe('group commit', () => {
  it('stores updates that arrive together in one transaction, in order, each told the id it was stored under', async () => {
    const store = recordingStore();
    const committer = new Committer(store, silent);
    // The store here names each update by its only byte.
    expect(await Promise.all([1, 2, 3, 4, 5].map((n) => committer.append(update(n))))).toEqual([1, 2, 3, 4, 5]);
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

  it('finds the one update a working store refuses, drops it, and stores every other', async () => {
    const store = recordingStore(0, 7);
    const committer = new Committer(store, silent, { initialMs: 1, maxMs: 2 });
    const numbers = Array.from({ length: 40 }, (_, index) => index + 1);
    const outcomes = await Promise.allSettled(numbers.map((n) => committer.append(update(n))));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').length).toBe(1);
    expect(outcomes[6]).toMatchObject({ status: 'rejected', reason: expect.any(UpdateRefusedError) });
    expect(store.transactions.flat()).toEqual(numbers.filter((n) => n !== 7));
    // The store works again for what comes next.
    await committer.append(update(41));
    expect(store.transactions.at(-1)).toEqual([41]);
  });

  it('refuses at once what would hold more than its limit while the store is down, keeps the rest', async () => {
    const store = recordingStore(4);
    const committer = new Committer(store, silent, { initialMs: 5, maxMs: 5, maxQueuedBytes: 3 });
    const held = [1, 2, 3].map((n) => committer.append(update(n)));
    await expect(committer.append(update(4))).rejects.toBeInstanceOf(StoreBacklogError);
    await Promise.all(held);
    expect(store.transactions.flat()).toEqual([1, 2, 3]);
    await committer.append(update(5));
    expect(store.transactions.flat()).toEqual([1, 2, 3, 5]);
  });
});
