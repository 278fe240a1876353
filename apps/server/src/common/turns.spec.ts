import { describe, expect, it } from '@jest/globals';
import { KeyedTurns, Turns } from './turns.js';

describe('Turns', () => {
  it('runs at most the limit at once, in arrival order, and frees a slot when a task fails', async () => {
    const turns = new Turns(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (index: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(index);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (index === 1) throw new Error('task 1 fails');
      return index;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((index) => turns.run(task(index))));
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(await turns.run(async () => 'after')).toBe('after');
  });
});

describe('KeyedTurns', () => {
  it('runs one task of a key at a time, in order, past failures, and keys side by side', async () => {
    const turns = new KeyedTurns();
    const log: string[] = [];
    const task =
      (name: string, fails = false) =>
      async () => {
        log.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`${name} ends`);
        if (fails) throw new Error(`${name} fails`);
        return name;
      };
    const results = Promise.allSettled([
      turns.run('a', task('a1', true)),
      turns.run('a', task('a2')),
      turns.run('b', task('b1')),
    ]);
    expect(turns.busy('a')).toBe(true);
    expect(turns.size).toBe(2);
    await turns.settled('a');
    expect(log.indexOf('a2 starts')).toBeGreaterThan(log.indexOf('a1 ends'));
    expect(log.indexOf('b1 starts')).toBeLessThan(log.indexOf('a1 ends'));
    expect((await results).map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    await turns.settled();
    expect(turns.size).toBe(0);
    expect(turns.busy('a')).toBe(false);
  });
});
