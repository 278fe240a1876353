import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { csvCell } from '../audit-api/audit.controller.js';
import { backoffMs, signatureOf } from './webhooks.service.js';

describe('webhook signatures and retries', () => {
  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256, as receivers recompute it', () => {
    const expected = createHmac('sha256', 'whsec_test').update('e1.1764680000.{"a":1}').digest('hex');
    expect(signatureOf('whsec_test', 'e1', '1764680000', '{"a":1}')).toBe(expected);
    expect(signatureOf('whsec_other', 'e1', '1764680000', '{"a":1}')).not.toBe(expected);
  });

  it('waits twice as long after each failure, within ±20 %, and never more than an hour', () => {
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

describe('CSV cells of the audit export', () => {
  it('quotes what needs it and defuses formulas', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
  });
});
