import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  decodeAwarenessUpdate,
  decodeDurable,
  decodeMessage,
  encodeAwarenessUpdate,
  encodeDurable,
  encodeSyncStep1,
  encodeUpdate,
  MalformedMessageError,
} from './protocol.js';
import { checkUpdate } from './update-checker.js';

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
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

describe('collab protocol decoding', () => {
  it('reads the messages stock clients send', () => {
    const update = validUpdate('bonjour');
    expect(decodeMessage(encodeUpdate(update))).toEqual({ kind: 'update', update });
    const sv = Y.encodeStateVector(new Y.Doc());
    expect(decodeMessage(encodeSyncStep1(sv))).toEqual({ kind: 'syncStep1', stateVector: sv });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ kind: 'queryAwareness' });
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

  it('fuzz: awareness updates decode into entries or fail as malformed, and round-trip', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), (bytes) => {
        try {
          const entries = decodeAwarenessUpdate(bytes);
          expect(decodeAwarenessUpdate(encodeAwarenessUpdate(entries))).toEqual(entries);
        } catch (error) {
          expect(error).toBeInstanceOf(MalformedMessageError);
        }
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('refuses trailing bytes and too many awareness entries', () => {
    const frame = encodeUpdate(validUpdate('x'));
    expect(() => decodeMessage(new Uint8Array([...frame, 0]))).toThrow(MalformedMessageError);
    const many = encodeAwarenessUpdate(Array.from({ length: 65 }, (_, i) => ({ clientId: i, clock: 1, state: {} })));
    expect(() => decodeAwarenessUpdate(many)).toThrow(/too many/);
  });

  it('encodes the durable acknowledgement so that clients can read it back', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'stored');
    expect(decodeDurable(encodeDurable(Y.encodeStateVector(doc)))).toEqual(new Map([[doc.clientID, 6]]));
    expect(decodeDurable(encodeUpdate(validUpdate('y')))).toBeUndefined();
  });
});
