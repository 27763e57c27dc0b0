import { mailNotifications } from "./mail/notify.js";
import type { ChangeSubscriber } from "./tickets/events.js";

/**
 * Everything that happens with a ticket change besides its row and its history, in the change's
 * transaction, in this order. The one place they are registered: tickets/ imports none of them.
 */
export const changeSubscribers: readonly ChangeSubscriber[] = [mailNotifications];
