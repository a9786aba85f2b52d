/**
 * Webhook endpoint configuration, to be embedded in the gateway config schema.
 * Secrets are validated here so a bad one fails at startup, not at the first delivery.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { type OutboxEvent, webhookType } from "./outbox-source.js";
import { webhookKey } from "./signing.js";

/** "*", a concrete type ("message.delivered") or an engine family ("message.status" = every status). */
const EVENT_FILTER = /^(\*|[a-z_]+\.[a-z_-]+)$/;

export const WebhookEndpointConfig = z.object({
  /** Stable name: used in URLs, delivery rows and metrics labels. */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, _ and -, at most 64"),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().superRefine((s, ctx) => {
    const r = webhookKey(s);
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
  return (
    ep.events.includes("*") ||
    ep.events.includes(webhookType(e)) ||
    ep.events.includes(e.type) ||
    modemAliases(e).some((a) => ep.events.includes(a))
  );
}

const DOWN = new Set([
  "degraded",
  "recovering",
  "failed",
  "stopped",
  "disabled",
  "pin-required",
  "puk-required",
]);

/**
 * The config's WEBHOOK_EVENTS name modem events "modem.up", "modem.down" and "sim.locked"; the engine
 * writes one "modem.state" row per change, so these filters select rows by the new state.
 */
function modemAliases(e: Pick<OutboxEvent, "type" | "data">): string[] {
  if (e.type !== "modem.state" || typeof e.data !== "object" || e.data === null) return [];
  const state = (e.data as { state?: unknown }).state;
  if (state === "ready") return ["modem.up"];
  if (typeof state !== "string" || !DOWN.has(state)) return [];
  return state === "pin-required" || state === "puk-required" ? ["modem.down", "sim.locked"] : ["modem.down"];
}

/** An entry of the gateway config's [[webhooks]] (src/config/schema.ts), secret already resolved. */
export interface GatewayWebhookEntry {
  readonly url: string;
  readonly secret: string;
  readonly events: readonly string[];
  readonly timeout_seconds: number;
  readonly enabled: boolean;
}

/**
 * The gateway config has no endpoint id, yet delivery rows and metrics need a stable one: it is
 * derived from the URL (host plus a short hash), so reordering the list or restarting keeps it.
 */
export function endpointId(url: string): string {
  let host = "endpoint";
  try {
    host = new URL(url).hostname.replace(/[^A-Za-z0-9-]/g, "-").slice(0, 40) || host;
  } catch {
    /* keep the generic prefix */
  }
  return `${host}-${createHash("sha256").update(url).digest("hex").slice(0, 8)}`;
}

export function endpointsFromConfig(entries: readonly GatewayWebhookEntry[]): WebhookEndpointConfig[] {
  return entries.map((w) => ({
    id: endpointId(w.url),
    url: w.url,
    secret: w.secret,
    events: [...w.events],
    timeoutMs: w.timeout_seconds * 1000,
    enabled: w.enabled,
  }));
}
