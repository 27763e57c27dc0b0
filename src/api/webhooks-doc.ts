import { type OpenAPIHono, z } from "@hono/zod-openapi";
import { EVENT_TYPES, PING } from "../webhooks/events.js";

// The webhooks in the OpenAPI document (its `webhooks` part): each event type's message, what it
// carries, and the headers it is signed with. The shapes follow src/webhooks/events.ts.

const TicketSnapshot = z
  .object({
    id: z.number().int(),
    subject: z.string(),
    status: z.string(),
    priority: z.string(),
    requesterId: z.number().int(),
    assigneeId: z.number().int().nullable(),
    version: z.number().int().openapi({ description: "The ticket's version after the change (If-Match on the API)" }),
    tags: z.array(z.string()),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    url: z.string().openapi({ format: "uri", description: "The ticket's page" }),
  })
  .openapi("WebhookTicket");

const FieldChange = z.object({ from: z.string().nullable(), to: z.string().nullable() }).openapi("WebhookFieldChange");

const EventData = z
  .object({
    ticket: TicketSnapshot,
    actorId: z.number().int().openapi({ description: "Who made the change (a person's id)" }),
    changes: z.record(z.string(), FieldChange).optional().openapi({
      description: "status / priority / assignee (by name): from and to; on the *_changed, closed and reopened events",
    }),
    message: z
      .object({ body: z.string(), internal: z.boolean() })
      .optional()
      .openapi({ description: "The text of the reply or note (ticket.replied, ticket.note_added)" }),
    tags: z
      .object({ added: z.array(z.string()), removed: z.array(z.string()) })
      .optional()
      .openapi({ description: "ticket.tags_changed" }),
    mergedIntoId: z.number().int().optional().openapi({ description: "ticket.merged: the ticket it now lives on" }),
  })
  .openapi("WebhookEventData");

const WebhookMessage = z
  .object({
    type: z.enum([...EVENT_TYPES, PING]),
    timestamp: z.string().openapi({ format: "date-time", description: "When the change happened" }),
    data: EventData,
  })
  .openapi("WebhookMessage");

const SUMMARY: Record<(typeof EVENT_TYPES)[number], string> = {
  "ticket.created": "A ticket was opened (on the page, by mail, at a kiosk or through the API).",
  "ticket.replied": "A public reply was added (by staff or the requester).",
  "ticket.note_added": "An internal note was added. Only sent to endpoints that ask for it.",
  "ticket.status_changed": "The status changed: data.changes.status.",
  "ticket.priority_changed": "The priority changed: data.changes.priority.",
  "ticket.assignee_changed":
    "The assignee changed: data.changes.assignee (names); data.ticket.assigneeId is the new one.",
  "ticket.tags_changed": "Tags were added or removed: data.tags.",
  "ticket.closed": "The ticket moved into a closed status (also sent as ticket.status_changed).",
  "ticket.reopened": "The ticket moved out of a closed status (also sent as ticket.status_changed).",
  "ticket.merged": "The ticket was merged into another: data.mergedIntoId.",
};

const header = (description: string) => z.string().openapi({ description });

/** Adds every event type to the document's `webhooks`, each a POST the desk makes to an endpoint. */
export function registerWebhookDocs(api: OpenAPIHono<never>): void {
  for (const type of EVENT_TYPES)
    api.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      summary: SUMMARY[type],
      description:
        "Signed per Standard Webhooks: verify webhook-signature over `webhook-id.webhook-timestamp.body` with the endpoint's secret (the `standardwebhooks` package does it). Sent at least once, with the same webhook-id on every try, in order per ticket; retried with backoff on anything but 2xx.",
      request: {
        headers: z.object({
          "webhook-id": header("The message's id: the same on every try (use it to ignore a repeat)"),
          "webhook-timestamp": header("When this try was signed, in seconds since 1970"),
          "webhook-signature": header("v1,<base64 HMAC-SHA256>; several, space-separated, while a secret changes"),
        }),
        body: { content: { "application/json": { schema: WebhookMessage } } },
      },
      responses: {
        200: {
          description:
            "Any 2xx: delivered. Anything else, a redirect, or no answer within the timeout: tried again later.",
        },
      },
    });
}
