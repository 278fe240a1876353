import { describe, expect, it } from '@jest/globals';
import { backoffMs } from './outbox.js';

describe('outbox retries', () => {
  it('wait twice as long after each failure, within ±20 %, and never more than an hour', () => {
    for (const [attempts, nominal] of [
      [1, 5000],
      [2, 10_000],
      [5, 80_000],
      [30, 3_600_000],
    ] as const) {
      const delay = backoffMs(attempts, 5000);
      expect(delay).toBeGreaterThanOrEqual(nominal * 0.8);
      expect(delay).toBeLessThanOrEqual(nominal * 1.2);
    }
  });
});
