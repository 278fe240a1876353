import { decodeMessage, MalformedMessageError } from '@bascule/collab-protocol';
import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { checkUpdate, INLINE_CHECK_BYTES, UpdateChecker } from './update-checker.js';

function updateOfSize(bytes: number): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(bytes));
  return Y.encodeStateAsUpdate(doc);
}

/** Frames that look like protocol messages: a real type and step, then anything. */
const plausibleFrame = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 64 }))
  .map(([type, step, rest]) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    encoding.writeVarUint(encoder, step);
    encoding.writeUint8Array(encoder, rest);
    return encoding.toUint8Array(encoder);
  });

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

  it('fuzz: 10,000 arbitrary and near-valid frames either decode or fail as malformed, never otherwise', () => {
    let malformed = 0;
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 256 }), plausibleFrame), (frame) => {
        try {
          const message = decodeMessage(frame);
          if (message.kind === 'update' || message.kind === 'syncStep2') {
            const problem = checkUpdate(message.update);
            if (problem !== null) throw new MalformedMessageError(problem);
            // Whatever passes the check must apply to a document without throwing.
            Y.applyUpdate(new Y.Doc(), message.update);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessageError);
          malformed += 1;
        }
      }),
      { numRuns: 10_000, seed: 20261129 },
    );
    expect(malformed).toBeGreaterThan(5000);
  });
});
