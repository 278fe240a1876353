import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { connectClient, createPlan, eventually, rawSocket, synced } from '../../../../test/support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('collab limits and hostile input', () => {
  let testApp: TestApp;
  let owner: SignedUp;

  beforeAll(async () => {
    testApp = await startTestApp({
      BASCULE_COLLAB_MESSAGES_PER_SECOND: '20',
      BASCULE_COLLAB_CONNECTIONS_PER_USER: '3',
      BASCULE_COLLAB_MAX_DOCUMENT_BYTES: '65536',
    });
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  it('closes a socket that floods with 4429', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const raw = await rawSocket(testApp.baseUrl, planId, owner.tokens.accessToken);
    for (let i = 0; i < 200; i += 1) raw.ws.send(new Uint8Array([3]));
    expect((await raw.closed).code).toBe(4429);
  });

  it('refuses a connection beyond the per-user limit with 4429', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const open = [];
    for (let i = 0; i < 3; i += 1) {
      // One after the other, each fully accepted (the server's first sync message has arrived).
      const socket = await rawSocket(testApp.baseUrl, planId, owner.tokens.accessToken);
      await eventually(() => expect(socket.messages.length).toBeGreaterThan(0));
      open.push(socket);
    }
    const fourth = await rawSocket(testApp.baseUrl, planId, owner.tokens.accessToken);
    expect((await fourth.closed).code).toBe(4429);
    for (const socket of open) socket.ws.close();
    await Promise.all(open.map((socket) => socket.closed));
  });

  it('refuses an update that would take the document past its size limit with 4413', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const raw = await rawSocket(testApp.baseUrl, planId, owner.tokens.accessToken);
    const doc = new Y.Doc();
    doc.getText('notes').insert(0, 'x'.repeat(70_000));
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(doc)));
    expect((await raw.closed).code).toBe(4413);
    const reader = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    await synced(reader);
    expect(reader.doc.getText('notes').length).toBe(0);
    reader.destroy();
  });

  it('closes a socket at the expiry of its token with 4401', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const soon = new Date(Date.now() + 1500).toISOString();
    const token = await graphqlAs<{ createApiToken: { secret: string } }>(
      testApp.baseUrl,
      owner.tokens.accessToken,
      'mutation($e: DateTime) { createApiToken(input: { name: "short", scopes: [READ], expiresAt: $e }) { secret } }',
      { e: soon },
    );
    const raw = await rawSocket(testApp.baseUrl, planId, token.data!.createApiToken.secret);
    expect((await raw.closed).code).toBe(4401);
  });

  // 500 in the everyday suite; `npm run test:fuzz` runs the long form (10,000 frames).
  const fuzzFrames = Number(process.env.BASCULE_FUZZ_FRAMES ?? 500);

  it(`fuzz: ${fuzzFrames} hostile frames, one socket each, close only their own socket`, async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const editor = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    await synced(editor);
    editor.doc.getMap('plan').set('title', 'before the storm');
    const frames = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { numRuns: fuzzFrames, seed: 42 });
    const codes = new Map<number, number>();
    for (let i = 0; i < frames.length; i += 2) {
      // Two at a time: the per-user connection limit (3) counts the editor too.
      const sockets = await Promise.all(
        frames.slice(i, i + 2).map(() => rawSocket(testApp.baseUrl, planId, owner.tokens.accessToken)),
      );
      sockets.forEach((socket, index) => socket.ws.send(frames[i + index]!));
      await new Promise((resolve) => setTimeout(resolve, 5));
      for (const socket of sockets) {
        socket.ws.close();
        const { code } = await socket.closed;
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    expect(codes.get(4400) ?? 0).toBeGreaterThan(fuzzFrames * 0.4);
    editor.doc.getMap('plan').set('title', 'after the storm');
    const reader = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    await synced(reader);
    await eventually(() => expect(reader.doc.getMap('plan').get('title')).toBe('after the storm'));
    reader.destroy();
    editor.destroy();
    expect((await fetch(`${testApp.baseUrl}/health/ready`)).status).toBe(200);
  });
});
