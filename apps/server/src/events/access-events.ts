import { Broadcast } from './broadcast.js';

/** Something that may take rights away from open connections; they are checked again at once. */
export type AccessChange =
  | { readonly kind: 'user'; readonly userId: string }
  | { readonly kind: 'session'; readonly sessionId: string }
  | { readonly kind: 'apiToken'; readonly tokenId: string }
  | { readonly kind: 'plan'; readonly planId: string };

/**
 * Tells every instance that access changed. Services publish after their transaction commits; the
 * collab server listens and re-checks the connections concerned.
 */
export class AccessEvents extends Broadcast<AccessChange> {}
