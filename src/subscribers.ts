import { mailNotifications } from "./mail/notify.js";
import { slaDueTimes } from "./sla/subscriber.js";
import type { ChangeSubscriber } from "./tickets/events.js";
import { webhookDeliveries } from "./webhooks/deliveries.js";

/**
 * Everything that happens with a ticket change besides its row and its history, in the change's
 * transaction, in this order: the ticket's due times (sla/), then its emails (mail/), then its
 * webhook deliveries (webhooks/: after the due times, so a message carries the ticket as the change
 * left it). The one place they are registered: tickets/ imports none of them.
 */
export const changeSubscribers: readonly ChangeSubscriber[] = [slaDueTimes, mailNotifications, webhookDeliveries];
