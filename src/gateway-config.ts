/**
 * Config → the settings each layer takes. Pure apart from reading secrets, so the composition root
 * stays a list of constructor calls. Secrets are read here, once, at startup: a missing credential is
 * a configuration error (exit 78) before READY, not a failure at the first request.
 */

import type { Clock } from "./clock.js";
import { CONTACT_FALLBACK } from "./config/defaults.js";
import type { Config } from "./config/index.js";
import { ensureGeneratedPepper, readSecret, SecretError } from "./config/index.js";
import { checkPepper } from "./config/pepper.js";
import { isSimPort } from "./config/schema.js";
import type { SenderConfig } from "./conversation/compliant-sender.js";
import type { HookConfig } from "./conversation/hook.js";
import { mergeLists } from "./conversation/keywords.js";
import { profileFromConfig } from "./conversation/windows.js";
import type { EngineConfig } from "./engine/index.js";
import type { Scope } from "./http/auth.js";
import type { RetentionPolicy } from "./retention/policy.js";
import type { GatewayWebhookEntry } from "./webhooks/config.js";
import { webhookKey } from "./webhooks/signing.js";

const DAY_MS = 86_400_000;

/**
 * Engine-wide defaults. Each SIM's own rate and caps are set per modem when it attaches
 * (engine.setModemLimits in gateway.ts, where a SIM's 0 is its own "no cap"); these values, the
 * tightest over the enabled modems, only apply to a modem the engine knows before that, so no SIM
 * can exceed its own limit.
 */
export function engineConfigFrom(config: Config): Partial<EngineConfig> {
  const modems = config.modems.filter((m) => m.enabled);
  type Field = (m: Config["modems"][number]) => number;
  const min = (pick: Field, fallback: number) =>
    modems.length === 0 ? fallback : Math.min(...modems.map(pick));
  // A cap of 0 is no cap, not the tightest one, and must not become the fallback of the SIMs that
  // have one: the minimum is over the caps that are set, 0 only when no enabled SIM sets one.
  const minCap = (pick: Field, fallback: number) => {
    const set = modems.map(pick).filter((n) => n > 0);
    return modems.length === 0 ? fallback : set.length === 0 ? 0 : Math.min(...set);
  };
  return {
    defaultCountry: config.business.default_country,
    virtualNumbers: simNumbers(config),
    ratePerMinute: min((m) => m.max_per_minute, 6),
    dailyCapPerModem: minCap((m) => m.max_per_day, 200),
    distinctRecipientsCap: minCap((m) => m.max_distinct_recipients_30d, 150),
    recipientWindowMs: 30 * DAY_MS,
    stickyMs: config.routing.sticky_days * DAY_MS,
    stickyFallback: config.routing.sticky_fallback,
    maxAttempts: config.queue.max_attempts,
    backoffBaseMs: config.queue.backoff_initial_seconds * 1000,
    backoffMaxMs: config.queue.backoff_max_seconds * 1000,
    // queue.expire_after_hours bounds how long retryable failures keep a message in the queue.
    retryBudgetMs: config.queue.expire_after_hours * 3_600_000,
  };
}

/** Numbers of the enabled simulated SIMs: recipients on the virtual network (config/default.toml). */
export function simNumbers(config: Config): string[] {
  const sims = new Set(config.modems.filter((m) => m.enabled && isSimPort(m.port)).map((m) => m.id));
  return Object.entries(config.sim.numbers)
    .filter(([id]) => sims.has(id))
    .map(([, n]) => n);
}

export interface ResolvedKey {
  readonly name: string;
  readonly key: string;
  readonly scopes: readonly Scope[];
}

/** Reads every configured API key; throws SecretError naming the key that cannot be read. */
export function apiKeysFrom(config: Config, env: NodeJS.ProcessEnv): ResolvedKey[] {
  return config.api.keys.map((k, i) => ({
    name: k.name,
    key: secret(() => readSecret(k.key, env), `api.keys[${i}].key`),
    scopes: [...k.scopes],
  }));
}

export function webhooksFrom(config: Config, env: NodeJS.ProcessEnv): GatewayWebhookEntry[] {
  return config.webhooks.map((w, i) => ({
    url: w.url,
    secret: webhookSecret(
      secret(() => readSecret(w.secret, env), `webhooks[${i}].secret`),
      i,
    ),
    events: [...w.events],
    timeout_seconds: w.timeout_seconds,
    enabled: w.enabled,
  }));
}

/** A secret that cannot sign is a configuration error (exit 78 before READY), not a worker crash. */
function webhookSecret(value: string, index: number): string {
  const key = webhookKey(value);
  if (typeof key === "string") throw new SecretError(`webhooks[${index}].secret: ${key}`);
  return value;
}

export function simPinFrom(
  modem: Config["modems"][number],
  index: number,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const ref = modem.sim_pin;
  return ref === undefined ? undefined : secret(() => readSecret(ref, env), `modems[${index}].sim_pin`);
}

function secret(read: () => string, path: string): string {
  try {
    return read();
  } catch (e) {
    if (e instanceof SecretError) throw new SecretError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * The send-path compliance settings: business name (footer, CPCE L34-5), the `[compliance]` sending
 * window and marketing cap. `now` is the gateway clock, so window and cap follow a test clock too.
 */
export function complianceFrom(config: Config, clock: Clock): SenderConfig {
  const c = config.compliance;
  return {
    businessName: config.business.name,
    window: profileFromConfig({
      profile: c.profile,
      marketingWindow: c.marketing_window,
      allowSundaysAndHolidays: c.allow_sundays_and_holidays,
    }),
    marketingCap: { max: c.marketing_cap.max, perDays: c.marketing_cap.per_days },
    now: () => clock.now(),
  };
}

/**
 * The keyword hook's settings: the lists of every active language merged (ecosystem §4.5: a French
 * business still honours STOP/START/HELP), the replies of `reply_language`, and the HELP reply's
 * contact (`[business] contact`, else the reply language's "reply to this SMS" phrase).
 */
export function keywordHookConfigFrom(config: Config): HookConfig {
  const k = config.compliance.keywords;
  const lang = k.reply_language;
  return {
    businessName: config.business.name,
    businessContact: config.business.contact || CONTACT_FALLBACK[lang],
    lists: mergeLists(
      ...k.languages.map((l) => ({
        optout: k[l].optout,
        optin: k[l].optin,
        help: k[l].help,
        filler: k[l].filler,
        intents: k[l].intents,
      })),
    ),
    replies: { ...k[lang].replies },
  };
}

/** `[retention]` in the units the jobs use (ms). */
export function retentionPolicyFrom(config: Config): RetentionPolicy {
  const r = config.retention;
  return {
    bodiesMs: r.bodies_days * DAY_MS,
    metadataMs: r.metadata_days * DAY_MS,
    contactsInactiveMs: r.contacts_inactive_days * DAY_MS,
    webhookDeliveriesMs: r.webhook_deliveries_days * DAY_MS,
    idempotencyMs: r.idempotency_hours * 3_600_000,
    inboundDedupeMs: r.inbound_dedupe_days * DAY_MS,
    batchSize: r.batch_size,
  };
}

/**
 * The pepper of erasure hashes, as bytes: the UTF-8 bytes of the configured secret
 * (`[privacy] pepper`), else of the file generated once in data_dir. The same text gives the same
 * bytes either way, so moving the generated file into a credential keeps every stored hash valid.
 * Throws SecretError (exit 78) when the reference cannot be read or the value is too short.
 */
export function pepperFrom(config: Config, env: NodeJS.ProcessEnv): Buffer {
  const ref = config.privacy.pepper;
  if (ref === undefined) return Buffer.from(ensureGeneratedPepper(config.data_dir).value, "utf8");
  const value = secret(() => readSecret(ref, env), "privacy.pepper");
  checkPepper(value, "privacy.pepper");
  return Buffer.from(value, "utf8");
}
