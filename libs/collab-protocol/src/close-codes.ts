/**
 * WebSocket close codes of the collab socket (public contract, docs/collab.md).
 * Codes in the 4000-4999 range are reserved for applications by RFC 6455.
 */
export enum CollabCloseCode {
  MalformedMessage = 4400,
  Unauthenticated = 4401,
  Forbidden = 4403,
  UnknownDocument = 4404,
  TooLarge = 4413,
  RateLimited = 4429,
}

const reasons: Record<CollabCloseCode, string> = {
  [CollabCloseCode.MalformedMessage]: 'malformed message',
  [CollabCloseCode.Unauthenticated]: 'unauthenticated or token expired',
  [CollabCloseCode.Forbidden]: 'forbidden or access revoked',
  [CollabCloseCode.UnknownDocument]: 'unknown document',
  [CollabCloseCode.TooLarge]: 'message or document too large',
  [CollabCloseCode.RateLimited]: 'rate limited',
};

export function isCollabCloseCode(code: number): code is CollabCloseCode {
  return Object.hasOwn(reasons, code);
}

/** The close reason sent with a code; WebSocket limits it to 123 bytes, these stay well under. */
export function closeCodeReason(code: CollabCloseCode): string {
  return reasons[code];
}

/** RFC 6455 codes the server closes with, on which stock clients reconnect. */
export const CLOSE_GOING_AWAY = 1001;
/** Something went wrong on the server, or the store refused this socket's update: the client resends it. */
export const CLOSE_INTERNAL_ERROR = 1011;
/** The store is too far behind to take this socket's update: the client reconnects and resends it. */
export const CLOSE_TRY_AGAIN_LATER = 1013;
