/**
 * Schemas of the sections the compliance layer reads: [retention], [privacy] and
 * [compliance.keywords]. Kept apart from schema.ts so each file stays readable; the same rules
 * apply (strict tables, defaults from defaults.ts, messages that name what was expected).
 */
import { z } from "zod";
import { normalise } from "../conversation/keywords.js";
import {
  defaultOptions as d,
  KEYWORD_LANGUAGES,
  KEYWORD_LISTS,
  KEYWORD_REPLIES,
  type KeywordLanguage,
} from "./defaults.js";
import { secretRefSchema } from "./secret.js";

const int = (min: number, max: number, unit: string) => {
  const error = `expected an integer number of ${unit} in [${min}…${max}]`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

export const retentionSchema = z
  .strictObject({
    enabled: z.boolean().default(d.retention.enabled),
    bodies_days: int(1, 3650, "days").default(d.retention.bodies_days),
    metadata_days: int(1, 3650, "days").default(d.retention.metadata_days),
    contacts_inactive_days: int(0, 3650, "days").default(d.retention.contacts_inactive_days),
    webhook_deliveries_days: int(1, 3650, "days").default(d.retention.webhook_deliveries_days),
    idempotency_hours: int(1, 8760, "hours").default(d.retention.idempotency_hours),
    inbound_dedupe_days: int(1, 3650, "days").default(d.retention.inbound_dedupe_days),
    interval_minutes: int(1, 10_080, "minutes").default(d.retention.interval_minutes),
    batch_size: int(10, 10_000, "rows").default(d.retention.batch_size),
  })
  .prefault({});

export const privacySchema = z.strictObject({ pepper: secretRefSchema.optional() }).prefault({});

const PHRASE_EXPECTED =
  "expected a keyword or phrase with at least one letter or digit, at most 40 characters";
const phrase = z
  .string({ error: PHRASE_EXPECTED })
  .max(40, { error: PHRASE_EXPECTED })
  .refine((s) => normalise(s).length > 0, { error: PHRASE_EXPECTED });
const phrases = (fallback: readonly string[]) =>
  z
    .array(phrase, { error: "expected a list of keywords or phrases" })
    .max(200, { error: "expected at most 200 entries" })
    .default([...fallback]);

const PLACEHOLDERS = ["{business}", "{contact}"];
const REPLY_EXPECTED = `expected a reply of 1…320 characters; placeholders: ${PLACEHOLDERS.join(" ")}`;
const reply = (fallback: string) =>
  z
    .string({ error: REPLY_EXPECTED })
    .min(1, { error: REPLY_EXPECTED })
    .max(320, { error: REPLY_EXPECTED })
    .refine((s) => (s.match(/\{[^}]*\}/g) ?? []).every((p) => PLACEHOLDERS.includes(p)), {
      error: `unknown placeholder; the reply may use ${PLACEHOLDERS.join(" ")}`,
    })
    .default(fallback);

/** One language's lists and replies. Writing a list replaces the built-in one of that language. */
function languageSchema(lang: KeywordLanguage) {
  const l = KEYWORD_LISTS[lang];
  const r = KEYWORD_REPLIES[lang];
  return z
    .strictObject({
      optout: phrases(l.optout),
      optin: phrases(l.optin),
      help: phrases(l.help),
      filler: phrases(l.filler),
      intents: phrases(l.intents),
      replies: z
        .strictObject({ optout: reply(r.optout), optin: reply(r.optin), help: reply(r.help) })
        .prefault({}),
    })
    .prefault({});
}

const LANGUAGE_EXPECTED = `expected one of ${KEYWORD_LANGUAGES.join(", ")}`;
const language = z.enum(KEYWORD_LANGUAGES, { error: LANGUAGE_EXPECTED });

export const keywordsSchema = z
  .strictObject({
    languages: z
      .array(language, { error: `expected a list of languages (${KEYWORD_LANGUAGES.join(", ")})` })
      .min(1, { error: "expected at least one language" })
      .default([...d.compliance.keywords.languages]),
    reply_language: language.default(d.compliance.keywords.reply_language),
    fr: languageSchema("fr"),
    en: languageSchema("en"),
  })
  .prefault({});
