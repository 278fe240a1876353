import { Broadcast } from '../events/broadcast.js';

/** A notification was written for someone: their subscriptions, on any instance, deliver it. */
export interface NotificationWritten {
  readonly userId: string;
  readonly notificationId: string;
}

/** Tells every instance of the notifications written (once their transaction committed). */
export class NotificationEvents extends Broadcast<NotificationWritten> {}
