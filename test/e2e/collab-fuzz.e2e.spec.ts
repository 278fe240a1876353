import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { decodeDurable, decodeMessage } from '@bascule/collab-protocol';
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectClient, createPlan, eventually, synced } from '../support/collab.js';
import { queryDatabase, serverEnvironment, type ServerEnvironment, suiteDialect } from '../support/database.js';
import { graphqlAs, type SignedUp, signUp } from '../support/identity.js';
import { type ServerProcess, startServer } from '../support/server-process.js';

/** Frames in the everyday suite (about 30 s here); `npm run test:fuzz` runs a longer form. */
const FRAMES = Number(process.env.BASCULE_FUZZ_FRAMES ?? 10_000);
// The test's time grows with its frames: the long form's too (jest's --testTimeout would not
// override a time given to the test itself).
jest.setTimeout(Math.max(300_000, FRAMES * 30));
/** Small, so that frames over it are cheap to make and send. */
const MAX_FRAME = 4096;
const QUERY_AWARENESS = new Uint8Array([3]);

function frameOf(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

const syncFrame = (step: number, payload: Uint8Array) =>
  frameOf(0, (e) => {
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });

/** A real update: a few edits by one client to text, a map and an array. */
const validUpdate = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 31 }), fc.string({ maxLength: 40 }), fc.integer(), fc.boolean())
  .map(([clientId, text, number, remove]) => {
    const doc = new Y.Doc();
    doc.clientID = clientId;
    doc.getText('fuzz').insert(0, text);
    doc.getMap('fuzzMap').set('n', number);
    doc.getArray('fuzzList').push([text]);
    if (remove && text.length > 0) doc.getText('fuzz').delete(0, 1);
    return Y.encodeStateAsUpdate(doc);
  });

/** A real update with bytes changed, cut short or extended: the decoder's hardest cases. */
const damagedUpdate = fc
  .tuple(validUpdate, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('flip', 'cut', 'extend'))
  .map(([update, at, byte, how]) => {
    const index = at % update.length;
    if (how === 'cut') return update.slice(0, index);
    if (how === 'extend') return new Uint8Array([...update, byte]);
    const copy = update.slice();
    copy[index] = byte;
    return copy;
  });

type Expectation = 'kept' | 'kept-or-malformed' | 'too-large' | 'malformed';
type Outcome = 'kept' | number | 'no answer';
/** What may happen to the socket after each kind of frame. */
const allowed: Record<Expectation, readonly Outcome[]> = {
  kept: ['kept'],
  'kept-or-malformed': ['kept', 4400],
  malformed: [4400],
  'too-large': [4413],
};
interface Case {
  readonly frame: Uint8Array | string;
  readonly expect: Expectation;
}
const kase = (frame: Uint8Array | string, expected: Expectation): Case => ({ frame, expect: expected });

const cases: fc.Arbitrary<Case> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((frame) => kase(frame, 'kept-or-malformed')),
  fc
    .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.uint8Array({ maxLength: 64 }))
    .map(([type, step, rest]) =>
      kase(
        frameOf(type, (e) => {
          encoding.writeVarUint(e, step);
          encoding.writeUint8Array(e, rest);
        }),
        'kept-or-malformed',
      ),
    ),
  validUpdate.map((update) => kase(syncFrame(2, update), 'kept')),
  validUpdate.map((update) => kase(syncFrame(1, update), 'kept')),
  damagedUpdate.map((update) => kase(syncFrame(2, update), 'kept-or-malformed')),
  fc.uint8Array({ maxLength: 40 }).map((sv) => kase(syncFrame(0, sv), 'kept-or-malformed')),
  fc.uint8Array({ maxLength: 80 }).map((bytes) =>
    kase(
      frameOf(1, (e) => encoding.writeVarUint8Array(e, bytes)),
      'kept-or-malformed',
    ),
  ),
  fc.string({ maxLength: 50 }).map((text) => kase(text, 'malformed')),
  fc.integer({ min: MAX_FRAME + 1, max: MAX_FRAME * 2 }).map((size) => kase(new Uint8Array(size), 'too-large')),
);

/** The probe's own presence: a client id and clock of its own, so that the answer it waits for is its own. */
function presenceFrame(clientId: number, clock: number): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, JSON.stringify({ probe: clock }));
  return frameOf(1, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(update)));
}

/** Whether an awareness message lists `clientId` at `clock`. */
function mentions(message: Uint8Array, clientId: number, clock: number): boolean {
  const outer = decoding.createDecoder(message);
  if (decoding.readVarUint(outer) !== 1) return false;
  const inner = decoding.createDecoder(decoding.readVarUint8Array(outer));
  for (let count = decoding.readVarUint(inner); count > 0; count -= 1) {
    const id = decoding.readVarUint(inner);
    const at = decoding.readVarUint(inner);
    decoding.readVarString(inner);
    if (id === clientId && at === clock) return true;
  }
  return false;
}

/**
 * Whether the server stores `frame` if it takes it: an update, or a sync step 2 (Bascule's own
 * decoder, which the server uses too). Its verdict comes once it is stored, after the answers to the
 * frames behind it: the durable acknowledgement, or the socket closed (4400 for an update that is
 * well formed but cannot be applied).
 */
function storesAnUpdate(frame: Uint8Array | string): boolean {
  if (typeof frame === 'string') return false;
  try {
    const kind = decodeMessage(frame).kind;
    return kind === 'update' || kind === 'syncStep2';
  } catch {
    return false;
  }
}

/**
 * One socket at a time, kept across frames until the server closes it. Each frame goes between the
 * probe's own presence (a new clock) and a presence query; the frame was kept when the answer
 * lists that clock (the server handles a socket's messages in order) and, for an update, once it is
 * acknowledged as stored; otherwise it closed the socket. What a socket says after its frame's
 * outcome is nobody's: listeners end with the frame.
 */
class Probe {
  private static sockets = 0;
  private ws: WebSocket | null = null;
  private clientId = 0;
  private clock = 0;
  /** What the last frame left without an answer had got: its presence answer, its acknowledgement. */
  silence = '';

  constructor(private readonly url: string) {}

  async send(frame: Uint8Array | string): Promise<Outcome> {
    const ws = await this.socket();
    this.clock += 1;
    const clock = this.clock;
    let answered = false;
    let stored = !storesAnUpdate(frame);
    return new Promise((resolve) => {
      const settle = (outcome: Outcome) => {
        clearTimeout(timer);
        ws.off('close', onClose);
        ws.off('message', onMessage);
        resolve(outcome);
      };
      // Generous: a machine busy with other suites can hold a frame for seconds; a hung server, forever.
      const timer = setTimeout(() => {
        this.silence = `presence answered: ${answered}, update acknowledged: ${stored}`;
        settle('no answer');
      }, 15_000);
      const onClose = (code: number) => settle(code);
      const onMessage = (data: Buffer) => {
        const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        if (message[0] === 1 && mentions(message, this.clientId, clock)) answered = true;
        else if (decodeDurable(message) !== undefined) stored = true;
        if (answered && stored) settle('kept');
      };
      ws.on('close', onClose);
      ws.on('message', onMessage);
      ws.send(presenceFrame(this.clientId, clock));
      ws.send(frame);
      ws.send(QUERY_AWARENESS);
    });
  }

  close(): void {
    this.ws?.close();
  }

  private async socket(): Promise<WebSocket> {
    if (this.ws !== null && this.ws.readyState === WebSocket.OPEN) return this.ws;
    const ws = new WebSocket(this.url);
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('close', (code) => reject(new Error(`the probe could not open a socket (${code})`)));
    });
    // A new client id per socket, never one used before: the server's presence remembers the clock of
    // every id it saw, and ignores a state whose clock is not above it (a random id once drew one a
    // closed socket had used, and its presence went unanswered).
    Probe.sockets += 1;
    this.clientId = 3_000_000_000 + Probe.sockets;
    this.clock = 0;
    this.ws = ws;
    return ws;
  }
}

describe(`collab socket fuzz, end to end (${suiteDialect()})`, () => {
  let server: ServerProcess;
  let environment: ServerEnvironment;
  let owner: SignedUp;

  beforeAll(async () => {
    environment = await serverEnvironment(
      {
        BASCULE_COLLAB_MAX_FRAME_BYTES: String(MAX_FRAME),
        BASCULE_COLLAB_MESSAGES_PER_SECOND: '100000',
        BASCULE_COLLAB_CONNECTIONS_PER_USER: '100000',
      },
      { redis: false },
    );
    server = await startServer(environment.env);
    owner = await signUp(server.baseUrl);
  });

  afterAll(async () => {
    await server.stop();
    await environment?.drop();
  });

  it(`${FRAMES} generated frames: each is kept, or closes only its own socket with the code it deserves`, async () => {
    const planId = await createPlan(server.baseUrl, owner.tokens.accessToken);
    // An API token, as a tool holds: the long form outlasts a session's access token (15 minutes).
    const created = await graphqlAs<{ createApiToken: { secret: string } }>(
      server.baseUrl,
      owner.tokens.accessToken,
      'mutation { createApiToken(input: { name: "fuzz", scopes: [WRITE] }) { secret } }',
    );
    const token = created.data!.createApiToken.secret;
    const editor = connectClient(server.baseUrl, planId, token);
    await synced(editor);
    // The editor shows no presence of its own: the only presence answers are the probe's.
    editor.provider.awareness.setLocalState(null);
    editor.doc.getMap('plan').set('title', 'before the storm');
    const probe = new Probe(
      `${server.baseUrl.replace(/^http/, 'ws')}/collab/${planId}?token=${encodeURIComponent(token)}`,
    );
    const outcomes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(cases, async ({ frame, expect: expected }) => {
          const outcome = await probe.send(frame);
          outcomes.set(`${expected}: ${outcome}`, (outcomes.get(`${expected}: ${outcome}`) ?? 0) + 1);
          if (!allowed[expected].includes(outcome))
            throw new Error(
              `a frame that should be ${expected} gave ${outcome} (${frame.length} bytes${outcome === 'no answer' ? `; ${probe.silence}` : ''})`,
            );
        }),
        { numRuns: FRAMES, seed: 20261203, endOnFailure: true },
      );
    } catch (error) {
      // What the server said about it: its warnings and errors, the last ones first.
      const said = server
        .logLines()
        .filter((line) => Number(line.level) >= 40)
        .slice(-15)
        .map((line) => `${String(line.msg)} ${JSON.stringify(line.err ?? '')}`.slice(0, 400));
      // The editor's client would keep this process alive, reconnecting to a server that stops.
      editor.destroy();
      // And whether it still answers at all (its event loop runs).
      const asked = performance.now();
      const live = await fetch(`${server.baseUrl}/health/live`, { signal: AbortSignal.timeout(10_000) }).then(
        (response) => `${response.status} in ${Math.round(performance.now() - asked)} ms`,
        () => 'no answer in 10 s',
      );
      throw new Error(
        `${(error as Error).message}\nserver's /health/live: ${live}\nserver warnings and errors:\n${said.join('\n')}`,
        { cause: error },
      );
    } finally {
      probe.close();
    }
    // Every kind of outcome happened, and the editor's socket, open throughout, never noticed.
    expect([...outcomes.keys()].sort()).toEqual(
      expect.arrayContaining(['kept: kept', 'kept-or-malformed: 4400', 'malformed: 4400', 'too-large: 4413']),
    );
    expect(editor.closes).toEqual([]);
    editor.doc.getMap('plan').set('title', 'after the storm');
    const reader = connectClient(server.baseUrl, planId, token);
    await synced(reader);
    await eventually(() => expect(reader.doc.getMap('plan').get('title')).toBe('after the storm'));
    expect(reader.doc.getText('fuzz').length).toBeGreaterThan(0);
    reader.destroy();
    editor.destroy();
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
    // Every stored update, applicable or not, has been recorded in the audit trail (none left for
    // crash recovery), so compaction is free to merge the whole log.
    await eventually(
      async () =>
        expect(await queryDatabase(environment.databaseUrl, 'SELECT id FROM plan_updates WHERE audit_pending')).toEqual(
          [],
        ),
      10_000,
      200,
    );
  });
});
