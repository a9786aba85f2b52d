/**
 * The configuration schema: strict (unknown keys are errors, so a typo never silently falls back to
 * a default), defaults from defaults.ts, range checks that name the key path (zwave-js checkOptions).
 * Cross-field rules (unique ids, sim numbers that point at sim:// modems) are in the final refine.
 */
import { isSupportedCountry } from "libphonenumber-js/min";
import { TomlDate } from "smol-toml";
import { z } from "zod";
import { crossChecks } from "./cross-checks.js";
import {
  API_SCOPES,
  CURRENT_CONFIG_VERSION,
  defaultOptions as d,
  STANDARD_BAUD_RATES,
  WEBHOOK_EVENTS,
} from "./defaults.js";
import { keywordsSchema, privacySchema, retentionSchema } from "./schema-sections.js";
import { secretRefSchema } from "./secret.js";

const int = (min: number, max: number, unit: string) =>
  z
    .number({ error: `expected an integer number of ${unit} in [${min}…${max}]` })
    .int({ error: `expected an integer number of ${unit} in [${min}…${max}]` })
    .min(min, { error: `expected an integer number of ${unit} in [${min}…${max}]` })
    .max(max, { error: `expected an integer number of ${unit} in [${min}…${max}]` });

const PORT_EXPECTED = "expected a path like /dev/serial/by-id/… or tcp://host:port or sim://persona";
const SIM_PORT = /^sim:\/\/[a-z0-9][a-z0-9_-]*(\?[^\s]*)?$/i;
const TCP_PORT = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;
const LISTEN = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;

function inPortRange(s: string): boolean {
  const port = Number(s);
  return port >= 1 && port <= 65535;
}

export const portSchema = z.string({ error: PORT_EXPECTED }).refine(
  (s) => {
    if (SIM_PORT.test(s)) return true;
    if (/^\/dev\/\S+$/.test(s)) return true;
    const m = TCP_PORT.exec(s);
    return m !== null && inPortRange(m[2] ?? "");
  },
  { error: PORT_EXPECTED },
);

export { isSimPort } from "./cross-checks.js";

const LISTEN_EXPECTED = 'expected "host:port" or "[ipv6]:port" with a port in [1…65535]';
const listenSchema = z.string({ error: LISTEN_EXPECTED }).refine((s) => {
  const m = LISTEN.exec(s);
  return m !== null && inPortRange(m[2] ?? "");
}, LISTEN_EXPECTED);

const TIME_EXPECTED = 'expected a local time "HH:MM" (24 h) or a TOML time like 08:00:00';
/** Accepts "08:00" strings and TOML local times (`start = 08:00:00`), returns "HH:MM". */
const timeOfDay = z.preprocess(
  (v) => (v instanceof TomlDate && v.isTime() ? v.toISOString().slice(0, 5) : v),
  z.string({ error: TIME_EXPECTED }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: TIME_EXPECTED }),
);

const E164 = /^\+[1-9]\d{6,14}$/;
const MODEM_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/i;

const modemSchema = z.strictObject({
  /** Stable name used in logs, metrics and the API ("gsm0"). */
  id: z.string({ error: 'expected an id like "gsm0"' }).regex(MODEM_ID, {
    error: 'expected an id of letters, digits, "_" or "-" (at most 32), like "gsm0"',
  }),
  port: portSchema,
  baud: z
    .number()
    .refine((n) => (STANDARD_BAUD_RATES as readonly number[]).includes(n), {
      error: `expected a standard baud rate (${STANDARD_BAUD_RATES.join(", ")})`,
    })
    .default(d.modem.baud),
  profile: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, { error: 'expected "auto" or a profile id from drivers/' })
    .default(d.modem.profile),
  sim_pin: secretRefSchema.optional(),
  max_per_minute: int(1, 60, "messages per minute").default(d.modem.max_per_minute),
  // 0 = no cap: a plan without the carrier limit (a business line) should not be held to one. The
  // engine-wide fallback ignores a 0 (gateway-config.ts), so one uncapped SIM uncaps no other.
  max_per_day: int(0, 100_000, "messages per day").default(d.modem.max_per_day),
  max_distinct_recipients_30d: int(0, 100_000, "recipients").default(d.modem.max_distinct_recipients_30d),
  enabled: z.boolean().default(d.modem.enabled),
});

const apiKeySchema = z.strictObject({
  name: z.string().min(1, { error: "expected a non-empty name" }),
  key: secretRefSchema,
  scopes: z
    .array(z.enum(API_SCOPES, { error: `expected one of ${API_SCOPES.join(", ")}` }))
    .min(1)
    .default([...d.api.default_scopes]),
});

const webhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" }),
  secret: secretRefSchema,
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { error: `expected one of ${WEBHOOK_EVENTS.join(", ")}` }))
    .min(1)
    .default([...d.webhook.events]),
  timeout_seconds: int(1, 60, "seconds").default(d.webhook.timeout_seconds),
  enabled: z.boolean().default(d.webhook.enabled),
});

export const configSchema = z
  .strictObject({
    version: z
      .number()
      .int()
      .refine((v) => v === CURRENT_CONFIG_VERSION, {
        error: `expected ${CURRENT_CONFIG_VERSION} (this build reads config version ${CURRENT_CONFIG_VERSION})`,
      })
      .default(CURRENT_CONFIG_VERSION),
    data_dir: z.string().min(1).default(d.data_dir),
    http: z
      .strictObject({
        listen: listenSchema.default(d.http.listen),
        public_health: z.boolean().default(d.http.public_health),
      })
      .prefault({}),
    database: z.strictObject({ path: z.string().min(1).optional() }).prefault({}),
    logging: z
      .strictObject({
        level: z
          .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
          .default(d.logging.level),
        include_content: z.boolean().default(d.logging.include_content),
      })
      .prefault({}),
    business: z
      .strictObject({
        name: z
          .string()
          .max(40, { error: "expected at most 40 characters (it goes in every marketing SMS)" })
          .default(d.business.name),
        default_country: z
          .string()
          .refine((c) => /^[A-Z]{2}$/.test(c) && isSupportedCountry(c), {
            error: 'expected an ISO 3166-1 alpha-2 country code like "FR"',
          })
          .default(d.business.default_country),
        contact: z
          .string()
          .max(60, { error: "expected at most 60 characters (it goes in the one-SMS HELP reply)" })
          .default(d.business.contact),
      })
      .prefault({}),
    modems: z
      .array(modemSchema, { error: "expected at least one [[modems]] entry" })
      .min(1, { error: "expected at least one [[modems]] entry" }),
    sim: z
      .strictObject({
        numbers: z
          .record(
            z.string(),
            z.string().regex(E164, { error: 'expected an E.164 number like "+33612345678"' }),
          )
          .default({}),
      })
      .prefault({}),
    routing: z
      .strictObject({
        sticky_days: int(0, 365, "days").default(d.routing.sticky_days),
        sticky_fallback: z.enum(["wait", "move"]).default(d.routing.sticky_fallback),
      })
      .prefault({}),
    queue: z
      .strictObject({
        max_attempts: int(1, 50, "attempts").default(d.queue.max_attempts),
        backoff_initial_seconds: int(1, 86_400, "seconds").default(d.queue.backoff_initial_seconds),
        backoff_max_seconds: int(1, 86_400, "seconds").default(d.queue.backoff_max_seconds),
        backoff_multiplier: z.number().min(1).max(10).default(d.queue.backoff_multiplier),
        expire_after_hours: int(1, 720, "hours").default(d.queue.expire_after_hours),
      })
      .prefault({}),
    api: z.strictObject({ keys: z.array(apiKeySchema).default([]) }).prefault({}),
    webhooks: z.array(webhookSchema).default([]),
    compliance: z
      .strictObject({
        profile: z.enum(["af2m-2026", "strict-canvassing", "custom"]).default(d.compliance.profile),
        marketing_window: z
          .strictObject({
            start: timeOfDay.default(d.compliance.marketing_window.start),
            end: timeOfDay.default(d.compliance.marketing_window.end),
          })
          .prefault({}),
        allow_sundays_and_holidays: z.boolean().default(d.compliance.allow_sundays_and_holidays),
        marketing_cap: z
          .strictObject({
            max: int(0, 100, "messages").default(d.compliance.marketing_cap.max),
            per_days: int(1, 365, "days").default(d.compliance.marketing_cap.per_days),
          })
          .prefault({}),
        keywords: keywordsSchema,
      })
      .prefault({}),
    retention: retentionSchema,
    privacy: privacySchema,
  })
  // Runs even when fields failed, so that one pass lists every problem; crossChecks is defensive.
  .superRefine((c, ctx) => crossChecks(c, ctx), { when: () => true });

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

/** Splits a validated `http.listen` value: "127.0.0.1:8080" → host "127.0.0.1", "[::1]:8080" → "::1". */
export function parseListen(listen: string): { host: string; port: number } {
  const m = LISTEN.exec(listen);
  if (!m) throw new TypeError(`not a "host:port" listen address: ${listen}`);
  const host = (m[1] as string).replace(/^\[(.*)\]$/, "$1");
  return { host, port: Number(m[2]) };
}
