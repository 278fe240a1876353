import { Broadcast } from '../events/broadcast.js';

/** A notification was written for someone: their subscriptions, on any instance, deliver it. */
export interface NotificationWritten {
  readonly userId: string;
  /** The organization whose plan it is about: a person's centre shows one organization's at a time. */
  readonly organizationId: string;
  readonly notificationId: string;
}

/** Tells every instance of the notifications written (once their transaction committed). */
export class NotificationEvents extends Broadcast<NotificationWritten> {}
