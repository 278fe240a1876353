import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

/**
 * The y-websocket wire protocol (message type, then its body), plus one Bascule extension: the
 * durable acknowledgement. It travels as an auth message with a sub-type other than 0, which stock
 * y-websocket clients read and ignore. Shared by the server's engine and the web client, so it
 * depends on Yjs and lib0 only.
 */
export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;
export const AUTH_PERMISSION_DENIED = 0;
export const AUTH_DURABLE = 1;

export type ClientMessage =
  | { readonly kind: 'syncStep1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'syncStep2'; readonly update: Uint8Array }
  | { readonly kind: 'update'; readonly update: Uint8Array }
  | { readonly kind: 'awareness'; readonly update: Uint8Array }
  | { readonly kind: 'queryAwareness' };

/** A frame that is not a well-formed y-websocket message. */
export class MalformedMessageError extends Error {}

/**
 * Reads one client frame's structure: message type, sync step, payload, nothing after it. A state
 * vector is decoded here (small); an update's own content is left to the receiver to check (the
 * engine's UpdateChecker) before any document sees it.
 */
export function decodeMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SyncStep.Step1) {
          Y.decodeStateVector(payload);
          message = { kind: 'syncStep1', stateVector: payload };
        } else if (step === SyncStep.Step2 || step === SyncStep.Update) {
          message = { kind: step === SyncStep.Step2 ? 'syncStep2' : 'update', update: payload };
        } else {
          throw new MalformedMessageError(`unknown sync step ${step}`);
        }
        break;
      }
      case MessageType.Awareness:
        message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.QueryAwareness:
        message = { kind: 'queryAwareness' };
        break;
      default:
        throw new MalformedMessageError(`unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after the message');
    return message;
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(error instanceof Error ? error.message : String(error));
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const encodeSyncStep1 = (stateVector: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Step1);
    encoding.writeVarUint8Array(e, stateVector);
  });

export const encodeSyncStep2 = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Step2);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeUpdate = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync);
    encoding.writeVarUint(e, SyncStep.Update);
    encoding.writeVarUint8Array(e, update);
  });

export const encodeAwareness = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness);
    encoding.writeVarUint8Array(e, update);
  });

/**
 * Tells an editor how far its work is stored: the state vector (client id to clock) of the stored
 * document, in Yjs's own encoding (`Y.decodeStateVector` reads it).
 */
export const encodeDurable = (stateVector: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Auth);
    encoding.writeVarUint(e, AUTH_DURABLE);
    encoding.writeVarUint8Array(e, stateVector);
  });

/** Reads a durable acknowledgement sent by the server, for clients (undefined for any other message). */
export function decodeDurable(message: Uint8Array): Map<number, number> | undefined {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== MessageType.Auth || decoding.readVarUint(decoder) !== AUTH_DURABLE)
    return undefined;
  return Y.decodeStateVector(decoding.readVarUint8Array(decoder));
}

export interface AwarenessEntry {
  readonly clientId: number;
  readonly clock: number;
  /** The decoded state, or null when the client left. */
  readonly state: Record<string, unknown> | null;
}

/** Reads an awareness update into entries; throws MalformedMessageError on anything else. */
export function decodeAwarenessUpdate(update: Uint8Array, maxEntries = 64): AwarenessEntry[] {
  try {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    if (count > maxEntries) throw new MalformedMessageError(`too many awareness entries (${count})`);
    const entries: AwarenessEntry[] = [];
    for (let i = 0; i < count; i += 1) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = JSON.parse(decoding.readVarString(decoder)) as unknown;
      if (state !== null && (typeof state !== 'object' || Array.isArray(state)))
        throw new MalformedMessageError('awareness state is not an object');
      entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
    }
    if (decoding.hasContent(decoder)) throw new MalformedMessageError('trailing bytes after the awareness update');
    return entries;
  } catch (error) {
    if (error instanceof MalformedMessageError) throw error;
    throw new MalformedMessageError(error instanceof Error ? error.message : String(error));
  }
}

export function encodeAwarenessUpdate(entries: readonly AwarenessEntry[]): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(e, entry.clientId);
      encoding.writeVarUint(e, entry.clock);
      encoding.writeVarString(e, JSON.stringify(entry.state));
    }
  });
}
