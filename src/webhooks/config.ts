/**
 * Webhook endpoint configuration, to be embedded in the gateway config schema.
 * Secrets are validated here so a bad one fails at startup, not at the first delivery.
 */
import { z } from "zod";
import { parseWebhookSecret } from "./signing.js";

export const WEBHOOK_EVENT_TYPES = [
  "message.received",
  "message.status",
  "modem.state",
  "contact.opted_out",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WebhookEndpointConfig = z.object({
  /** Stable name: used in URLs, delivery rows and metrics labels. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -, at most 64"),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().superRefine((s, ctx) => {
    const r = parseWebhookSecret(s);
    if (typeof r === "string") ctx.addIssue({ code: "custom", message: r });
  }),
  /** Event types to deliver; "*" for all. */
  events: z.array(z.union([z.enum(WEBHOOK_EVENT_TYPES), z.literal("*")])).min(1),
  /** [1000…60000] ms, default 10000: the whole HTTP exchange, including reading the response. */
  timeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  enabled: z.boolean().default(true),
});
export type WebhookEndpointConfig = z.output<typeof WebhookEndpointConfig>;

export function acceptsEvent(ep: Pick<WebhookEndpointConfig, "events">, type: string): boolean {
  return ep.events.includes("*") || (ep.events as readonly string[]).includes(type);
}
