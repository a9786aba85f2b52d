/**
 * Every default of the configuration in one place, with its unit, range and the reason for it
 * (zwave-js `ZWaveOptions.ts` `defaultOptions`, zigbee2mqtt `settings.ts` `defaults`). The schema in
 * schema.ts reads its defaults from here; config/example.pi.toml repeats them for people.
 * Keys are the TOML keys, so the file, the environment overrides and the error paths all use one name.
 */

import { ENGLISH, FRENCH } from "../conversation/keywords.js";

/** Schema version this build writes and reads; older files go through migrate.ts. */
export const CURRENT_CONFIG_VERSION = 1;

export const defaultOptions = {
  /** Directory for the database, the generated API key and other state. Relative paths are resolved
   * against the working directory at load time. Default "./data" (hardware-free run from a checkout). */
  data_dir: "./data",

  http: {
    /** "host:port" or "[v6]:port". Default loopback: the API is not exposed to the LAN until the
     * owner decides to (and puts a TLS proxy in front). Port range [1…65535]. */
    listen: "127.0.0.1:8080",
    /** Serve /health, /livez, /readyz without an API key. Default true: monitors and systemd-less
     * supervisors need them; they carry no phone numbers or bodies. */
    public_health: true,
  },

  database: {
    /** SQLite file. Default: "<data_dir>/smsgw.db" (resolved at load time). */
    path: undefined as string | undefined,
  },

  logging: {
    /** pino level: fatal | error | warn | info | debug | trace | silent. Default "info";
     * "trace" adds the AT traffic. */
    level: "info" as const,
    /** Log phone numbers and message bodies. Default false (GDPR art. 5(1)(c) data minimisation:
     * journald keeps logs for weeks). PINs, API keys and secrets are redacted whatever this says. */
    include_content: false,
  },

  business: {
    /** Advertiser identity put in marketing messages and HELP replies (CPCE L34-5: every marketing
     * message must identify the advertiser). Default "" — marketing sends are refused while empty. */
    name: "",
    /** ISO 3166-1 alpha-2 country used to read national numbers ("06 12 34 56 78"). Default "FR". */
    default_country: "FR",
    /** How to reach the business (phone, e-mail, shop address): the `{contact}` of the HELP reply
     * (CTIA and ecosystem §4.5: HELP answers with who is writing and how to reach them). At most 60
     * characters so that the reply stays one SMS. Default "": the reply language's phrase from
     * CONTACT_FALLBACK ("répondez à ce SMS pour nous joindre"). */
    contact: "",
  },

  /** Defaults applied to each [[modems]] entry. */
  modem: {
    /** Serial speed in bit/s. Default 115200: the autobaud SIMCom parts and the fixed-rate Quectel and
     * Huawei USB ports all accept it (USB CDC ports ignore it). */
    baud: 115200,
    /** "auto" identifies the modem (USB ids, ATI/+CGMI/+CGMM) and picks a drivers/ profile; or a
     * profile id to force one. Default "auto". */
    profile: "auto",
    /** Messages per minute on this SIM, [1…60]. Default 6: operators flag bursts from consumer SIMs;
     * 6/min is below the 10/min SMSGate uses and well under vendor "operator-safe" claims. */
    max_per_minute: 6,
    /** Messages per day on this SIM, [0…100000], 0 = no cap. Default 200: consumer plans that allow
     * 500/day (SMSGate #270) leave headroom for the owner's own use of the line. A message held by the
     * cap says so (GET /v1/messages/{id} `waiting`) and goes at the next UTC midnight. */
    max_per_day: 200,
    /** Distinct recipients over a rolling 30 days, [0…100000], 0 = no cap (only for a plan without
     * that limit). Default 150: "unlimited" plans cap distinct correspondents at 99–250 per month
     * (SMSGate #148, #270; SFR Réunion: 150). At the cap the SIM keeps serving the contacts it has;
     * a message to a new one waits, and says so, until a recipient leaves the window. */
    max_distinct_recipients_30d: 150,
    /** Default true. A disabled modem is neither opened nor used for routing. */
    enabled: true,
  },

  routing: {
    /** Days a contact stays bound to the SIM that last talked with them, [0…365] (0 = no stickiness).
     * Default 30: a customer who replies weeks later still sees the same number (Telnyx keeps 8 days;
     * a shop's customers come back less often than an app's users). */
    sticky_days: 30,
    /** When the sticky SIM is unavailable: "wait" keeps the message queued for it (same number for the
     * customer), "move" sends from another SIM. Default "wait". */
    sticky_fallback: "wait" as const,
  },

  queue: {
    /** Attempts for a part that failed with a retryable error, [1…50]. Default 5. A +CMGS that timed
     * out is "unknown" and never retried automatically, whatever this says (duplicate SMS). */
    max_attempts: 5,
    /** First retry delay in seconds, [1…86400]. Default 30. */
    backoff_initial_seconds: 30,
    /** Longest retry delay in seconds, [1…86400]. Default 3600. */
    backoff_max_seconds: 3600,
    /** Growth factor between retries, [1…10]. Default 2. */
    backoff_multiplier: 2,
    /** A message not sent within this many hours fails as expired, [1…720]. Default 24: an
     * appointment reminder that is a day late does more harm than good. */
    expire_after_hours: 24,
  },

  api: {
    /** API keys. Default []: the daemon then generates one at first start, stores it in
     * "<data_dir>/api-key" (mode 0600) and prints it once. */
    keys: [] as const,
    /** Scopes of a key that does not list any. */
    default_scopes: ["send", "read"] as const,
  },

  webhook: {
    /** Events sent to an endpoint that lists none: every message and contact event. */
    events: ["*"] as const,
    /** Seconds to wait for a 2xx, [1…60]. Default 15 (Standard Webhooks: 15–30 s). */
    timeout_seconds: 15,
    enabled: true,
  },

  compliance: {
    /** "af2m-2026" (08:00–21:30, Mon–Sat), "strict-canvassing" (D223-9 shape: Mon–Fri 10–13/14–20),
     * or "custom" (marketing_window as written). Default "af2m-2026" (af2m Charte Business Messaging 2026). */
    profile: "af2m-2026" as const,
    /** Local time of the recipient, "HH:MM" 24 h; applies to marketing only. Default 08:00–21:30. */
    marketing_window: { start: "08:00", end: "21:30" },
    /** af2m 2026 tolerates Sundays and public holidays but does not recommend them. Default false. */
    allow_sundays_and_holidays: false,
    /** Marketing messages per contact over a rolling window. Default 4 per 30 days (the D223-9
     * benchmark for canvassing calls; af2m asks for "sobriety"). */
    marketing_cap: { max: 4, per_days: 30 },
    keywords: {
      /** Languages whose keyword lists are active, merged (a French business still gets STOP, START,
       * HELP from "en"). Default ["fr", "en"]. */
      languages: ["fr", "en"] as const,
      /** Language of the STOP/START/HELP replies. Default "fr". */
      reply_language: "fr" as const,
    },
  },

  /** Retention jobs (GDPR art. 5(1)(e) storage limitation). Ages run from a message's last status
   * change (outbound) or its reception (inbound). Messages that are not final are never touched. */
  retention: {
    /** Default true. false keeps everything (the owner then answers for art. 5(1)(e) another way). */
    enabled: true,
    /** Days after which bodies, PDUs and reassembly fragments are blanked; the row stays, [1…3650].
     * Default 365 (12 months, ecosystem §6.4: long enough to answer a customer's query about a
     * message of last season, short enough that conversation content does not pile up). */
    bodies_days: 365,
    /** Days after which message rows with their parts, events and delivery reports are deleted,
     * [1…3650], at least bodies_days. Default 1095 (3 years: the CNIL retention referential keeps
     * prospect data 3 years after the last contact). */
    metadata_days: 1095,
    /** Days without any activity of a contact (a message either way, a consent given or withdrawn,
     * an opt-out, conversation activity) after which it is erased as by an art. 17 request (an
     * opt-out survives as a hash), [0…3650], 0 = never, else at least metadata_days. Default 1095:
     * the CNIL "gestion commerciale" referential keeps a prospect's data 3 years from the last
     * contact coming from the prospect; smsgw cannot tell customers from prospects. */
    contacts_inactive_days: 1095,
    /** Days a finished webhook delivery (delivered or dead) and its outbox row are kept, [1…3650].
     * Default 30: long enough to replay a dead letter after an outage of the receiver. */
    webhook_deliveries_days: 30,
    /** Hours an idempotency key is kept, [1…8760]. Default 24 (draft-ietf-httpapi-idempotency-key-
     * header §2.4 leaves it to the resource; 24 h is the common practice). */
    idempotency_hours: 24,
    /** Days the fingerprint of each PDU read from a SIM is kept, [1…3650]. It only guards the moment
     * between our commit and the deletion from the SIM (a crash in between re-reads it). Default 30. */
    inbound_dedupe_days: 30,
    /** Minutes between two runs, [1…10080]. Default 60 (hourly: each run has little to do). */
    interval_minutes: 60,
    /** Rows per transaction, [10…10000]. Default 500: a batch commits in milliseconds on a Pi's SD
     * card, so the send loop never waits long on the write lock. */
    batch_size: 500,
  },

  privacy: {
    /** Secret mixed into the hashes kept after an erasure (HMAC-SHA256(pepper, e164), ecosystem
     * §4.8). Default none: 32 random bytes are generated once into "<data_dir>/pepper" (mode 0600).
     * Losing it makes old opt-out hashes unmatchable, so back it up with the database. */
    pepper: undefined as undefined,
  },
};

/** The built-in keyword lists per language (src/conversation/keywords.ts). */
export const KEYWORD_LISTS = { fr: FRENCH, en: ENGLISH } as const;
export const KEYWORD_LANGUAGES = ["fr", "en"] as const;
export type KeywordLanguage = (typeof KEYWORD_LANGUAGES)[number];

/** Default keyword replies per language; `{business}` and `{contact}` are replaced. GSM 7-bit only
 * (é is in the default alphabet, ê is not) so each stays one 160-character part. The French ones are
 * those of src/conversation/hook.ts FRENCH_REPLIES. */
export const KEYWORD_REPLIES = {
  fr: {
    optout: "{business} : vous ne recevrez plus de SMS de notre part. Répondez START pour vous réabonner.",
    optin: "{business} : votre abonnement aux SMS est rétabli. Répondez STOP pour ne plus en recevoir.",
    help: "{business} : {contact}. Répondez STOP pour ne plus recevoir de SMS.",
  },
  en: {
    optout: "{business}: you will not receive any more texts from us. Reply START to subscribe again.",
    optin: "{business}: your text messages are back on. Reply STOP to stop receiving them.",
    help: "{business}: {contact}. Reply STOP to stop receiving texts.",
  },
} as const;

/** The HELP reply's `{contact}` while [business] contact is empty. */
export const CONTACT_FALLBACK = {
  fr: "répondez à ce SMS pour nous joindre",
  en: "reply to this text to reach us",
} as const;

/** Baud rates a UART or USB-serial bridge accepts; anything else is almost certainly a typo. */
export const STANDARD_BAUD_RATES = [
  1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600,
] as const;

export const API_SCOPES = ["send", "read", "admin"] as const;

/** Webhook event types (dot-separated, Standard Webhooks style); "*" means all. */
export const WEBHOOK_EVENTS = [
  "*",
  "message.queued",
  "message.sent",
  "message.delivered",
  "message.undelivered",
  "message.failed",
  "message.received",
  "contact.opted_out",
  "contact.opted_in",
  "contact.erased",
  "contact.flagged",
  "conversation.opened",
  "conversation.reopened",
  "conversation.assigned",
  "conversation.resolved",
  "conversation.updated",
  "modem.up",
  "modem.state",
  "modem.down",
  "sim.locked",
] as const;
