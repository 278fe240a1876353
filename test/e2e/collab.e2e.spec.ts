import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { decodeDurable } from '@bascule/collab-protocol';
import { type CollabClient, connectClient, createPlan, eventually, rawSocket, synced } from '../support/collab.js';
import { queryDatabase, serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { addMember, graphqlAs, logIn, type SignedUp, signUp } from '../support/identity.js';
import { freePort } from '../support/http.js';
import { runToExit, SERVER_CLI, type ServerProcess, startServer } from '../support/server-process.js';

const titleOf = (client: CollabClient) => client.doc.getMap('plan').get('title');

describe(`collaborative editing over y-websocket (${suiteDialect()})`, () => {
  const clients: CollabClient[] = [];
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;
  let editor: SignedUp;
  let viewer: SignedUp;

  function client(planId: string, token: string, base = server.baseUrl): CollabClient {
    const created = connectClient(base, planId, token);
    clients.push(created);
    return created;
  }

  async function setPlanRole(planId: string, user: SignedUp, role: string | null): Promise<void> {
    const response = await graphqlAs(
      server.baseUrl,
      owner.tokens.accessToken,
      'mutation($p: ID!, $u: ID!, $r: PlanRole) { setPlanMemberRole(planId: $p, userId: $u, role: $r) { role } }',
      {
        p: planId,
        u: user.userId,
        r: role,
      },
    );
    expect(response.errors).toBeUndefined();
  }

  beforeAll(async () => {
    environment = await serverEnvironment();
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
    editor = await addMember(server.baseUrl, owner.tokens.accessToken, 'MEMBER');
    viewer = await addMember(server.baseUrl, owner.tokens.accessToken, 'MEMBER');
  });

  afterEach(() => {
    for (const created of clients.splice(0)) created.destroy();
  });

  afterAll(async () => {
    await server.stop();
    await environment?.drop();
  });

  it('lets two editors converge, and a late joiner receive everything', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    await setPlanRole(planId, editor, 'EDITOR');
    const a = client(planId, owner.tokens.accessToken);
    const b = client(planId, editor.tokens.accessToken);
    await Promise.all([synced(a), synced(b)]);
    a.doc.getMap('plan').set('title', 'Bascule vers Bleu');
    b.doc.getArray('milestones').push(['Landing zone']);
    a.doc.getText('notes').insert(0, 'Pilote en mars. ');
    b.doc.getText('notes').insert(0, 'Cutover en juin. ');
    await eventually(() => {
      expect(titleOf(b)).toBe('Bascule vers Bleu');
      expect(a.doc.getArray('milestones').toArray()).toEqual(['Landing zone']);
      expect(a.doc.getText('notes').toString()).toBe(b.doc.getText('notes').toString());
      expect(a.doc.getText('notes').length).toBe('Pilote en mars. Cutover en juin. '.length);
    });
    const expected = Y.encodeStateAsUpdate(a.doc);
    a.destroy();
    b.destroy();

    const late = client(planId, editor.tokens.accessToken);
    await synced(late);
    expect(titleOf(late)).toBe('Bascule vers Bleu');
    const reference = new Y.Doc();
    Y.applyUpdate(reference, expected);
    expect(late.doc.getText('notes').toString()).toBe(reference.getText('notes').toString());
  });

  it('keeps a viewer read-only: their writes change nothing, for anyone', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Read-only', 'VIEWER');
    const writer = client(planId, owner.tokens.accessToken);
    await synced(writer);
    writer.doc.getMap('plan').set('title', 'Official');
    const reader = client(planId, viewer.tokens.accessToken);
    await synced(reader);
    await eventually(() => expect(titleOf(reader)).toBe('Official'));
    reader.doc.getMap('plan').set('title', 'Vandalised');
    reader.doc.getArray('risks').push(['fake risk']);
    // A tool holding a read-scope API token of the owner is read-only too.
    const readToken = await graphqlAs<{ createApiToken: { secret: string } }>(
      server.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "report", scopes: [READ] }) { secret } }',
    );
    const tool = client(planId, readToken.data!.createApiToken.secret);
    await synced(tool);
    expect(titleOf(tool)).toBe('Official');
    // Others see the tool as its owner's, naming the token.
    tool.provider.awareness.setLocalStateField('cursor', { index: 1 });
    await eventually(() =>
      expect(writer.provider.awareness.getStates().get(tool.doc.clientID)).toMatchObject({
        user: { id: owner.userId, name: expect.stringMatching(/ \(API token “report”\)$/) },
      }),
    );
    tool.doc.getMap('plan').set('title', 'Rewritten by a read token');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(titleOf(writer)).toBe('Official');
    const fresh = client(planId, owner.tokens.accessToken);
    await synced(fresh);
    expect(titleOf(fresh)).toBe('Official');
    expect(fresh.doc.getArray('risks').length).toBe(0);
  });

  it('stamps awareness with the signed-in identity, whatever the client claims', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    await setPlanRole(planId, editor, 'EDITOR');
    const impostor = client(planId, editor.tokens.accessToken);
    const observer = client(planId, owner.tokens.accessToken);
    await Promise.all([synced(impostor), synced(observer)]);
    impostor.provider.awareness.setLocalStateField('user', { id: owner.userId, name: 'The CEO', color: '#000000' });
    impostor.provider.awareness.setLocalStateField('cursor', { index: 3 });
    const seen = await eventually(() => {
      const state = observer.provider.awareness.getStates().get(impostor.doc.clientID) as {
        user: { id: string; name: string };
        cursor: unknown;
      };
      expect(state?.cursor).toEqual({ index: 3 });
      return state;
    });
    expect(seen.user).toMatchObject({ id: editor.userId, name: expect.stringContaining('Test ') });
    expect(seen.user.name).not.toBe('The CEO');

    // A socket cannot speak for another socket's awareness client id either.
    const raw = await rawSocket(server.baseUrl, planId, editor.tokens.accessToken);
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = observer.doc.clientID;
    forged.setLocalState({ user: { name: 'forged' }, cursor: 'hijacked' });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(forged, [forged.clientID]));
    raw.ws.send(encoding.toUint8Array(encoder));
    forged.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const observed = impostor.provider.awareness.getStates().get(observer.doc.clientID) as
      { cursor?: unknown } | undefined;
    expect(observed?.cursor).not.toBe('hijacked');
    raw.ws.close();
  });

  it('acknowledges each update once it is stored, in a message stock clients ignore', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    const raw = await rawSocket(server.baseUrl, planId, owner.tokens.accessToken);
    const doc = new Y.Doc();
    doc.getMap('plan').set('title', 'acked');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc));
    raw.ws.send(encoding.toUint8Array(encoder));
    const durable = await eventually(() => {
      const acks = raw.messages
        .map((message) => decodeDurable(new Uint8Array(message)))
        .filter((ack) => ack !== undefined);
      expect(acks.length).toBeGreaterThan(0);
      return acks[acks.length - 1]!;
    });
    expect(durable.get(doc.clientID)).toBe(Y.getState(doc.store, doc.clientID));
    raw.ws.close();
  });

  it('refuses bad tokens (4401), unknown plans (4404) and plans one may not open (4403)', async () => {
    const hidden = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Hidden', null);
    const stranger = await signUp(server.baseUrl);
    const strangerPlan = await createPlan(server.baseUrl, stranger.tokens.accessToken);
    const cases: [string, string, number][] = [
      [hidden, 'not-a-token', 4401],
      [hidden, '', 4401],
      ['00000000-0000-4000-8000-000000000000', owner.tokens.accessToken, 4404],
      ['not-a-uuid', owner.tokens.accessToken, 4404],
      [strangerPlan, owner.tokens.accessToken, 4404],
      [hidden, viewer.tokens.accessToken, 4403],
    ];
    for (const [planId, token, code] of cases) {
      const raw = await rawSocket(server.baseUrl, planId, token);
      expect({ planId, code: (await raw.closed).code }).toEqual({ planId, code });
    }
  });

  it('closes or downgrades live sockets within 2 seconds when access is taken away', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken, 'Revocations', null);
    const member = await addMember(server.baseUrl, owner.tokens.accessToken, 'MEMBER');
    await setPlanRole(planId, member, 'EDITOR');
    const writer = client(planId, owner.tokens.accessToken);
    const target = client(planId, member.tokens.accessToken);
    await Promise.all([synced(writer), synced(target)]);

    await setPlanRole(planId, member, 'VIEWER');
    await new Promise((resolve) => setTimeout(resolve, 300));
    target.doc.getMap('plan').set('probe', 'written after the downgrade');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(writer.doc.getMap('plan').get('probe')).toBeUndefined();
    writer.doc.getMap('plan').set('title', 'still visible to the viewer');
    await eventually(() => expect(titleOf(target)).toBe('still visible to the viewer'));

    const started = Date.now();
    await setPlanRole(planId, member, null);
    await eventually(() => expect(target.closes.map((close) => close.code)).toContain(4403), 2000);
    expect(Date.now() - started).toBeLessThan(2000);

    const token = await graphqlAs<{ createApiToken: { secret: string; apiToken: { id: string } } }>(
      server.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "sync", scopes: [WRITE] }) { secret apiToken { id } } }',
    );
    const integration = client(planId, token.data!.createApiToken.secret);
    await synced(integration);
    await graphqlAs(server.baseUrl, owner.tokens.accessToken, 'mutation($id: ID!) { revokeApiToken(id: $id) { id } }', {
      id: token.data!.createApiToken.apiToken.id,
    });
    await eventually(() => expect(integration.closes.map((close) => close.code)).toContain(4401), 2000);
  });

  it('closes a socket that sends garbage or oversized frames, and keeps serving everyone else', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    const bystander = client(planId, owner.tokens.accessToken);
    await synced(bystander);
    const frames: [Uint8Array | string, number][] = [
      [new Uint8Array([0, 2, 5, 1, 2]), 4400],
      [new Uint8Array([9, 9, 9]), 4400],
      [new Uint8Array([0, 7, 0]), 4400],
      ['text frame', 4400],
      [new Uint8Array([1, 3, 1, 2, 3]), 4400],
      [new Uint8Array(1024 * 1024 + 10), 4413],
    ];
    for (const [frame, code] of frames) {
      const raw = await rawSocket(server.baseUrl, planId, owner.tokens.accessToken);
      raw.ws.send(frame);
      expect((await raw.closed).code).toBe(code);
    }
    bystander.doc.getMap('plan').set('title', 'still here');
    const other = client(planId, owner.tokens.accessToken);
    await synced(other);
    await eventually(() => expect(titleOf(other)).toBe('still here'));
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('checks a large update off the event loop: a long paste arrives, as much garbage closes only its socket', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    const writer = client(planId, owner.tokens.accessToken);
    const reader = client(planId, owner.tokens.accessToken);
    await Promise.all([synced(writer), synced(reader)]);
    const paste = 'Inventaire applicatif. '.repeat(10_000);
    writer.doc.getText('notes').insert(0, paste);
    const raw = await rawSocket(server.baseUrl, planId, owner.tokens.accessToken);
    const garbage = encoding.createEncoder();
    encoding.writeVarUint(garbage, 0);
    encoding.writeVarUint(garbage, 2);
    encoding.writeVarUint8Array(garbage, new Uint8Array(200_000).fill(7));
    raw.ws.send(encoding.toUint8Array(garbage));
    expect((await raw.closed).code).toBe(4400);
    await eventually(() => expect(reader.doc.getText('notes').toString()).toBe(paste));
    expect(writer.closes).toEqual([]);
  });

  it(
    process.env.REDIS_URL
      ? 'converges live across two instances through Redis, presence included'
      : 'shares stored work with a second instance on the same database (live fan-out needs REDIS_URL)',
    async () => {
      const second = await startServer(environment.env);
      try {
        const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
        const here = client(planId, owner.tokens.accessToken);
        await synced(here);
        here.doc.getMap('plan').set('title', 'from instance one');
        await eventually(() => expect(here.provider.synced).toBe(true));
        await new Promise((resolve) => setTimeout(resolve, 200));
        const there = client(planId, owner.tokens.accessToken, second.baseUrl);
        await synced(there);
        await eventually(() => expect(titleOf(there)).toBe('from instance one'));
        if (process.env.REDIS_URL) {
          // One update, stored once: the instance that receives it through Redis does not store it again.
          const logRows = async () =>
            Number(
              (
                await queryDatabase(
                  environment.databaseUrl,
                  `SELECT COUNT(*) AS n FROM plan_updates WHERE plan_id = '${planId}'`,
                )
              )[0]!.n,
            );
          const rowsBefore = await logRows();
          there.doc.getText('notes').insert(0, 'from instance two');
          here.doc.getText('notes').insert(0, 'and one. ');
          await eventually(() => {
            expect(here.doc.getText('notes').toString()).toBe(there.doc.getText('notes').toString());
            expect(here.doc.getText('notes').length).toBe('and one. from instance two'.length);
          });
          expect(await logRows()).toBe(rowsBefore + 2);
          there.provider.awareness.setLocalStateField('cursor', 'over there');
          await eventually(() =>
            expect(
              (here.provider.awareness.getStates().get(there.doc.clientID) as { cursor?: string } | undefined)?.cursor,
            ).toBe('over there'),
          );

          // Access taken away through one instance reaches the sockets of the other within 2 s.
          const member = await addMember(server.baseUrl, owner.tokens.accessToken, 'MEMBER');
          await setPlanRole(planId, member, 'EDITOR');
          const remote = client(planId, member.tokens.accessToken, second.baseUrl);
          await synced(remote);
          await setPlanRole(planId, member, 'VIEWER');
          await new Promise((resolve) => setTimeout(resolve, 500));
          remote.doc.getMap('plan').set('probe', 'written after the downgrade');
          here.doc.getMap('plan').set('title', 'seen by the downgraded socket');
          await eventually(() => expect(titleOf(remote)).toBe('seen by the downgraded socket'));
          expect(here.doc.getMap('plan').get('probe')).toBeUndefined();
          const removedAt = Date.now();
          const removal = await graphqlAs(
            server.baseUrl,
            owner.tokens.accessToken,
            'mutation($u: ID!) { removeMember(userId: $u) { role } }',
            { u: member.userId },
          );
          expect(removal.errors).toBeUndefined();
          await eventually(() => expect(remote.closes.map((close) => close.code)).toContain(4403), 2000);
          expect(Date.now() - removedAt).toBeLessThan(2000);
        }
        there.destroy();
      } finally {
        await second.stop();
      }
    },
  );

  it('a stock client reconnects by itself after a restart, and what it wrote meanwhile arrives', async () => {
    const port = String(await freePort());
    let own = await startServer({ ...environment.env, PORT: port });
    try {
      // Access tokens name the address that issued them: this server's own.
      const token = (await logIn(own.baseUrl, owner.email, owner.password)).body.accessToken;
      const planId = await createPlan(own.baseUrl, token);
      const writer = client(planId, token, own.baseUrl);
      await synced(writer);
      writer.doc.getMap('plan').set('title', 'before the restart');
      await eventually(() => expect(writer.provider.wsconnected).toBe(true));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await own.stop()).code).toBe(0);
      await eventually(() => expect(writer.provider.wsconnected).toBe(false));
      writer.doc.getMap('plan').set('title', 'written while the server was away');
      own = await startServer({ ...environment.env, PORT: port });
      // Nobody calls connect(): y-websocket's provider comes back on its own, and syncs.
      await eventually(() => expect(writer.provider.synced).toBe(true), 10_000);
      const reader = client(planId, token, own.baseUrl);
      await synced(reader);
      await eventually(() => expect(titleOf(reader)).toBe('written while the server was away'));
      expect(writer.closes.map((close) => close.code)).toContain(1001);
    } finally {
      await own.stop();
    }
  });

  it('compacts with cli.js while stopped, and a late joiner gets the identical document', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    const writer = client(planId, owner.tokens.accessToken);
    await synced(writer);
    for (let i = 0; i < 60; i += 1) {
      writer.doc.getArray('milestones').push([`step ${i}`]);
      writer.doc.getText('notes').insert(0, `${i} `);
      if (i % 10 === 9) writer.doc.getText('notes').delete(0, 2);
    }
    const witness = client(planId, owner.tokens.accessToken);
    await synced(witness);
    await eventually(() => expect(witness.doc.getArray('milestones').length).toBe(60));
    const expected = {
      milestones: writer.doc.getArray('milestones').toJSON(),
      notes: writer.doc.getText('notes').toString(),
    };
    for (const created of clients.splice(0)) created.destroy();
    await server.stop();
    const compacted = await runToExit(environment.env, SERVER_CLI, ['compact']);
    expect(compacted.code).toBe(0);
    expect(compacted.stdout).toMatch(/[1-9]\d* updates merged into [1-9]\d* snapshots/);
    server = await startServer(environment.env);
    const late = client(planId, owner.tokens.accessToken);
    await synced(late);
    expect({
      milestones: late.doc.getArray('milestones').toJSON(),
      notes: late.doc.getText('notes').toString(),
    }).toEqual(expected);
  });

  it('keeps an update that a second client has seen through kill -9 and a restart', async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    const writer = client(planId, owner.tokens.accessToken);
    const witness = client(planId, owner.tokens.accessToken);
    await Promise.all([synced(writer), synced(witness)]);
    writer.doc.getMap('plan').set('title', 'survives');
    await eventually(() => expect(titleOf(witness)).toBe('survives'));
    await server.stop('SIGKILL');
    for (const created of clients.splice(0)) created.destroy();

    server = await startServer(environment.env);
    const after = client(planId, owner.tokens.accessToken);
    await synced(after);
    expect(titleOf(after)).toBe('survives');
  });
});
