import { describe, expect, it } from '@jest/globals';
import { CollabCloseCode, closeCodeReason, isCollabCloseCode } from './close-codes.js';

describe('collab close codes', () => {
  it('are application codes of RFC 6455 with a short reason each', () => {
    const codes = Object.values(CollabCloseCode).filter((value): value is CollabCloseCode => typeof value === 'number');
    expect(codes).toEqual([4400, 4401, 4403, 4404, 4413, 4429]);
    for (const code of codes) {
      expect(code).toBeGreaterThanOrEqual(4000);
      expect(Buffer.byteLength(closeCodeReason(code))).toBeLessThanOrEqual(123);
    }
  });

  it('recognises only its own codes', () => {
    expect(isCollabCloseCode(4404)).toBe(true);
    expect(isCollabCloseCode(1000)).toBe(false);
    expect(isCollabCloseCode(4500)).toBe(false);
  });
});
