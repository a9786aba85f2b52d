/**
 * Webhook endpoint configuration, to be embedded in the gateway config schema.
 * Secrets are validated here so a bad one fails at startup, not at the first delivery.
 */
import { z } from "zod";
import { type OutboxEvent, webhookType } from "./outbox-source.js";
import { parseWebhookSecret } from "./signing.js";

/** "*", a concrete type ("message.delivered") or an engine family ("message.status" = every status). */
const EVENT_FILTER = /^(\*|[a-z_]+\.[a-z_-]+)$/;

export const WebhookEndpointConfig = z.object({
  /** Stable name: used in URLs, delivery rows and metrics labels. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -, at most 64"),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().superRefine((s, ctx) => {
    const r = parseWebhookSecret(s);
    if (typeof r === "string") ctx.addIssue({ code: "custom", message: r });
  }),
  /** Event types to deliver; "*" for all. */
  events: z.array(z.string().regex(EVENT_FILTER, 'expected "*" or a type like "message.delivered"')).min(1),
  /** [1000…60000] ms, default 10000: the whole HTTP exchange, including reading the response. */
  timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  enabled: z.boolean().default(true),
});
export type WebhookEndpointConfig = z.output<typeof WebhookEndpointConfig>;

export function acceptsEvent(
  ep: Pick<WebhookEndpointConfig, "events">,
  e: Pick<OutboxEvent, "type" | "data">,
): boolean {
  return ep.events.includes("*") || ep.events.includes(webhookType(e)) || ep.events.includes(e.type);
}
