import { describe, expect, it } from '@jest/globals';
import { DrainPhase, Shutdown } from './shutdown.js';

describe('Shutdown', () => {
  it('runs its steps once, phase by phase, past a failing one', async () => {
    const shutdown = new Shutdown();
    const ran: string[] = [];
    shutdown.onDrain(DrainPhase.Followers, 'projections', async () => void ran.push('projections'));
    shutdown.onDrain(DrainPhase.Intake, 'sockets', async () => {
      ran.push('sockets');
      throw new Error('a socket would not close');
    });
    const failures: string[] = [];
    expect(shutdown.started).toBe(false);
    await Promise.all([shutdown.drain((step) => failures.push(step)), shutdown.drain()]);
    expect(shutdown.started).toBe(true);
    expect(ran).toEqual(['sockets', 'projections']);
    expect(failures).toEqual(['sockets']);
  });
});
