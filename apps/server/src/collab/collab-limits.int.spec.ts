import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { connectClient, createPlan, eventually, rawSocket, synced } from '../../../../test/support/collab.js';
import { authorOf, graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { PlanDocumentService } from './plan-document.service.js';

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

  it('refuses a server change past the size limit too, and stores nothing of it', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken);
    const documents = testApp.app.get(PlanDocumentService);
    await expect(
      documents.change(planId, authorOf(owner), (doc) => doc.getText('notes').insert(0, 'y'.repeat(70_000))),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await documents.read(planId)).getText('notes').length).toBe(0);
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
});
