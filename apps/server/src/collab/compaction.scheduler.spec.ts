import { describe, expect, it } from '@jest/globals';
import type { CollabServer } from '@bascule/collab';
import type { AppConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { CompactionScheduler } from './compaction.scheduler.js';
import type { SqlDocumentStore } from './document.store.js';

/** The collab server's two events, fired by hand. */
function collabEvents() {
  const stored = new Set<(name: string) => void>();
  const unloaded = new Set<(name: string) => void>();
  const collab = {
    onStored: (listener: (name: string) => void) => (stored.add(listener), () => stored.delete(listener)),
    onUnloaded: (listener: (name: string) => void) => (unloaded.add(listener), () => unloaded.delete(listener)),
  } as unknown as CollabServer;
  return {
    collab,
    store: (name: string) => stored.forEach((listener) => listener(name)),
    unload: (name: string) => unloaded.forEach((listener) => listener(name)),
  };
}

const quiet = { debug: () => undefined, error: () => undefined } as unknown as Logger;

describe('CompactionScheduler', () => {
  it('compacts a plan soon after its room unloads, once what waits to be recorded has been written', async () => {
    const events = collabEvents();
    const steps: string[] = [];
    let compacted: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (compacted = resolve));
    const store = {
      compact: async (planId: string) => {
        steps.push(`compact ${planId}`);
        compacted();
        return { planId, merged: 1, skipped: 0 };
      },
    } as unknown as SqlDocumentStore;
    const config = { roles: ['collab'], autoCompaction: true } as unknown as AppConfig;
    const scheduler = new CompactionScheduler(events.collab, store, config, quiet);
    scheduler.onApplicationBootstrap();
    scheduler.beforeCompacting(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      steps.push('trail written');
    });
    // A failing settler does not keep the plan from being compacted.
    scheduler.beforeCompacting(async () => {
      throw new Error('database unavailable');
    });

    // A room that stored nothing here is left alone when it unloads.
    events.unload('untouched');
    events.store('plan');
    events.unload('plan');
    await done;
    expect(steps).toEqual(['trail written', 'compact plan']);
    await scheduler.onApplicationShutdown();
  });
});
