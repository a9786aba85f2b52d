/** Response schemas of the modem and webhook administration endpoints (see schemas.ts). */
import { z } from "zod";
import { MODEM_STATES } from "../modem/types.js";
import { apiRegistry } from "./schemas.js";

const isoDateTime = z.iso.datetime({ offset: true });

export const Modem = z.object({
  name: z.string().describe("Configured name"),
  id: z.string().describe("Stable id, imei:<IMEI> once known"),
  enabled: z.boolean(),
  simulated: z.boolean(),
  state: z.enum([...MODEM_STATES, "disabled"]),
  identity: z
    .object({
      manufacturer: z.string().optional(),
      model: z.string().optional(),
      revision: z.string().optional(),
      imei: z.string().optional(),
      profile: z.string().optional(),
    })
    .nullable(),
  sim: z.object({
    state: z.enum(["ready", "pin-required", "puk-required", "absent", "unknown"]),
    iccid: z.string().optional(),
    imsi: z.string().optional(),
  }),
  registration: z.enum(["home", "roaming", "searching", "denied", "not-registered", "unknown"]),
  operator: z.string().nullable(),
  signalDbm: z.number().nullable(),
  storage: z.object({ used: z.number().int(), total: z.number().int() }).nullable(),
  counters: z.object({ sent: z.number().int(), failed: z.number().int(), received: z.number().int() }),
  queueDepth: z.number().int(),
  lastSuccessAt: isoDateTime.nullable(),
  lastError: z.string().nullable(),
  caps: z
    .array(
      z.object({
        cap: z.enum(["daily-cap", "global-daily-cap", "distinct-recipients-cap"]),
        limit: z.number().int(),
        used: z.number().int(),
        reached: z.boolean(),
        until: isoDateTime.nullable().describe("When reached: the earliest time the cap frees a slot"),
        holding: z.boolean().describe("Reached while a due part this SIM would otherwise send waits"),
      }),
    )
    .optional()
    .describe(
      "The SIM's send caps that are set ([[modems]] max_per_day, max_distinct_recipients_30d; 0 is none and is not listed)",
    ),
});
apiRegistry.add(Modem, { id: "Modem" });

export const ModemList = z.object({ items: z.array(Modem) });
apiRegistry.add(ModemList, { id: "ModemList" });

export const WebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  health: z.object({
    lastSuccessAt: isoDateTime.nullable(),
    lastFailureAt: isoDateTime.nullable(),
    consecutiveFailures: z.number().int(),
    pending: z.number().int(),
    dead: z.number().int(),
  }),
});
apiRegistry.add(WebhookEndpoint, { id: "WebhookEndpoint" });

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint) });
apiRegistry.add(WebhookEndpointList, { id: "WebhookEndpointList" });

export const WebhookDelivery = z.object({
  id: z.number().int(),
  endpoint: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  state: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number().int(),
  nextAttemptAt: isoDateTime.nullable(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: isoDateTime,
  deliveredAt: isoDateTime.nullable(),
});
apiRegistry.add(WebhookDelivery, { id: "WebhookDelivery" });

export const WebhookDeliveryList = z.object({ items: z.array(WebhookDelivery) });
apiRegistry.add(WebhookDeliveryList, { id: "WebhookDeliveryList" });

export const ReplayResult = z.object({ replayed: z.number().int() });
apiRegistry.add(ReplayResult, { id: "ReplayResult" });

export const ListDeliveriesQuery = z
  .object({
    state: z.enum(["pending", "delivered", "dead"]).optional(),
    endpoint: z.string().min(1).max(64).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
