import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
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
} from './messages.js';

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('collab protocol decoding', () => {
  it('reads the messages stock clients send', () => {
    const update = validUpdate('bonjour');
    expect(decodeMessage(encodeUpdate(update))).toEqual({ kind: 'update', update });
    const sv = Y.encodeStateVector(new Y.Doc());
    expect(decodeMessage(encodeSyncStep1(sv))).toEqual({ kind: 'syncStep1', stateVector: sv });
    expect(decodeMessage(new Uint8Array([3]))).toEqual({ kind: 'queryAwareness' });
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
