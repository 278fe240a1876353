import { describe, expect, it } from '@jest/globals';
import * as Y from 'yjs';
import { stateVectorOfSnapshot } from './message-receiver.js';

describe('stateVectorOfSnapshot', () => {
  it('says what a snapshot holds, read once for the same bytes', () => {
    const source = new Y.Doc();
    source.getText('t').insert(0, 'stored');
    source.getMap('m').set('k', 'v');
    const snapshot = Y.encodeStateAsUpdate(source);

    const vector = stateVectorOfSnapshot(snapshot);
    expect(Y.decodeStateVector(vector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(source)));
    expect(stateVectorOfSnapshot(snapshot)).toBe(vector);
    // Other bytes, even equal ones, are read for themselves.
    const copy = snapshot.slice();
    expect(stateVectorOfSnapshot(copy)).not.toBe(vector);
    expect(stateVectorOfSnapshot(copy)).toEqual(vector);
  });
});
