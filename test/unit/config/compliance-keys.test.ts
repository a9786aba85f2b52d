/**
 * The keys the compliance layer reads: [business] contact, [compliance.keywords], [retention],
 * [privacy]. Defaults, errors with their key paths, env overrides, and `config check` output.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../../src/cli/config.js";
import { defaultOptions, KEYWORD_REPLIES } from "../../../src/config/defaults.js";
import { ConfigError } from "../../../src/config/errors.js";
import { type Config, parseConfig } from "../../../src/config/load.js";
import { FRENCH_REPLIES } from "../../../src/conversation/hook.js";
import { ENGLISH, FRENCH } from "../../../src/conversation/keywords.js";
import { retentionPolicyFrom } from "../../../src/gateway-config.js";

const MODEM = '[[modems]]\nid = "a"\nport = "sim://sim800"\n';

const parse = (text: string, env: NodeJS.ProcessEnv = {}): Config =>
  parseConfig(MODEM + text, "test.toml", { env, cwd: "/srv" });

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parse(text, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("defaults", () => {
  it("retention: bodies 12 months, metadata 3 years, deliveries 30 days, idempotency 24 h, hourly", () => {
    const r = parse("").retention;
    expect(r).toEqual({
      enabled: true,
      bodies_days: 365,
      metadata_days: 1095,
      contacts_inactive_days: 1095,
      webhook_deliveries_days: 30,
      idempotency_hours: 24,
      inbound_dedupe_days: 30,
      interval_minutes: 60,
      batch_size: 500,
    });
  });

  it("business.contact is empty, privacy.pepper absent, keywords fr+en with replies in French", () => {
    const c = parse("");
    expect(c.business.contact).toBe("");
    expect(c.privacy.pepper).toBeUndefined();
    const k = c.compliance.keywords;
    expect(k.languages).toEqual(["fr", "en"]);
    expect(k.reply_language).toBe("fr");
    expect(k.fr.optout).toEqual(FRENCH.optout);
    expect(k.en.optout).toEqual(ENGLISH.optout);
    expect(k.en.help).toEqual(ENGLISH.help);
    expect(k.fr.intents).toEqual(FRENCH.intents);
    expect(k.fr.replies).toEqual(KEYWORD_REPLIES.fr);
  });

  it("the French default replies are the hook's own (one text, not two that drift apart)", () => {
    expect(KEYWORD_REPLIES.fr).toEqual(FRENCH_REPLIES);
  });
});

describe("values", () => {
  it("reads every new key", () => {
    const c = parse(`
[business]
contact = "02 40 12 34 56"
[compliance.keywords]
languages = ["en"]
reply_language = "en"
[compliance.keywords.en]
help = ["HELP", "SUPPORT"]
[compliance.keywords.en.replies]
help = "{business}: call {contact}. Reply STOP to opt out."
[retention]
bodies_days = 90
metadata_days = 400
interval_minutes = 15
batch_size = 100
[privacy]
pepper = { credential = "pepper" }
`);
    expect(c.business.contact).toBe("02 40 12 34 56");
    expect(c.compliance.keywords.languages).toEqual(["en"]);
    expect(c.compliance.keywords.en.help).toEqual(["HELP", "SUPPORT"]);
    expect(c.compliance.keywords.en.optout).toEqual(ENGLISH.optout);
    expect(c.compliance.keywords.en.replies.help).toBe("{business}: call {contact}. Reply STOP to opt out.");
    expect(c.compliance.keywords.en.replies.optout).toBe(KEYWORD_REPLIES.en.optout);
    expect(c.retention.bodies_days).toBe(90);
    expect(c.retention.metadata_days).toBe(400);
    expect(c.retention.idempotency_hours).toBe(defaultOptions.retention.idempotency_hours);
    expect(c.privacy.pepper).toEqual({ credential: "pepper" });
  });

  it("SMSGW_RETENTION__*, SMSGW_BUSINESS__CONTACT and SMSGW_PRIVACY__PEPPER override the file", () => {
    const c = parse("[retention]\nbodies_days = 90\n", {
      SMSGW_RETENTION__BODIES_DAYS: "30",
      SMSGW_RETENTION__ENABLED: "false",
      SMSGW_BUSINESS__CONTACT: "contact@shop.example",
      SMSGW_PRIVACY__PEPPER: '{ env = "PEPPER" }',
      SMSGW_COMPLIANCE__KEYWORDS__REPLY_LANGUAGE: "en",
    });
    expect(c.retention.bodies_days).toBe(30);
    expect(c.retention.enabled).toBe(false);
    expect(c.business.contact).toBe("contact@shop.example");
    expect(c.privacy.pepper).toEqual({ env: "PEPPER" });
    expect(c.compliance.keywords.reply_language).toBe("en");
  });
});

describe("errors name the key path", () => {
  it("retention ranges and units", () => {
    expect(problems("[retention]\nbodies_days = 0\nidempotency_hours = 1.5\nbatch_size = 5\n")).toEqual([
      "retention.bodies_days: expected an integer number of days in [1…3650], got 0",
      "retention.idempotency_hours: expected an integer number of hours in [1…8760], got 1.5",
      "retention.batch_size: expected an integer number of rows in [10…10000], got 5",
    ]);
  });

  it("an unknown retention key (a unit left out) is refused", () => {
    expect(problems("[retention]\nbodies = 365\n")).toEqual([
      "retention.bodies: unknown key (keys are checked strictly so that a typo is not silently ignored)",
    ]);
  });

  it("inactive contacts erased before their messages' metadata would expire", () => {
    expect(problems("[retention]\nmetadata_days = 2000\ncontacts_inactive_days = 1500\n")).toEqual([
      "retention.contacts_inactive_days: expected 0 (off) or at least metadata_days (2000): erasing a contact deletes its messages",
    ]);
    expect(
      parse("[retention]\nmetadata_days = 2000\ncontacts_inactive_days = 0\n").retention.metadata_days,
    ).toBe(2000);
  });

  it("contacts_inactive_days reaches the retention policy in ms, 0 turning the job off", () => {
    expect(
      retentionPolicyFrom(parse("[retention]\ncontacts_inactive_days = 2000\n")).contactsInactiveMs,
    ).toBe(2000 * 86_400_000);
    expect(retentionPolicyFrom(parse("[retention]\ncontacts_inactive_days = 0\n")).contactsInactiveMs).toBe(
      0,
    );
  });

  it("metadata kept shorter than bodies", () => {
    expect(problems("[retention]\nbodies_days = 400\nmetadata_days = 300\n")).toEqual([
      "retention.metadata_days: expected at least bodies_days (400): a deleted row has no body left to keep",
    ]);
  });

  it("a variable that sets a bad value is named", () => {
    expect(problems("", { SMSGW_RETENTION__INTERVAL_MINUTES: "0" })).toEqual([
      "retention.interval_minutes: expected an integer number of minutes in [1…10080], got 0 (set by SMSGW_RETENTION__INTERVAL_MINUTES)",
    ]);
  });

  it("business.contact longer than fits in the HELP SMS", () => {
    expect(problems(`[business]\ncontact = "${"x".repeat(61)}"\n`)[0]).toMatch(
      /^business\.contact: expected at most 60 characters \(it goes in the one-SMS HELP reply\)/,
    );
  });

  it("an inline pepper is refused without echoing it", () => {
    const p = problems('[privacy]\npepper = "hunter2-hunter2-hunter2-hunter2-xx"\n');
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^privacy\.pepper: expected a secret reference/);
    expect(p[0]).not.toContain("hunter2");
  });

  it("unknown language, empty language list, unknown placeholder, empty phrase", () => {
    expect(
      problems(`
[compliance.keywords]
languages = []
reply_language = "de"
[compliance.keywords.fr]
help = ["?!"]
[compliance.keywords.fr.replies]
help = "{business} : {phone}"
`),
    ).toEqual([
      "compliance.keywords.languages: expected at least one language, got an empty list",
      'compliance.keywords.reply_language: expected one of fr, en, got "de"',
      'compliance.keywords.fr.help[0]: expected a keyword or phrase with at least one letter or digit, at most 40 characters, got "?!"',
      'compliance.keywords.fr.replies.help: unknown placeholder; the reply may use {business} {contact}, got "{business} : {phone}"',
    ]);
  });

  it("the active lists must keep STOP (every reply tells people to send it)", () => {
    // French alone has neither STOP nor START: both are English words the French public uses.
    expect(problems('[compliance.keywords]\nlanguages = ["fr"]\n')).toEqual([
      "compliance.keywords.fr.optout: expected the active opt-out lists (fr) to include STOP",
      "compliance.keywords.fr.replies.optout: the reply offers START but no active opt-in list has it",
    ]);
    const c = parse(
      '[compliance.keywords]\nlanguages = ["fr"]\n[compliance.keywords.fr]\noptout = ["stop", "ARRÊT"]\noptin = ["START"]\n',
    );
    expect(c.compliance.keywords.fr.optout).toEqual(["stop", "ARRÊT"]);
  });

  it("START offered by the reply but in no opt-in list; one phrase in two kinds", () => {
    expect(
      problems(`
[compliance.keywords.en]
optin = ["UNSTOP"]
help = ["HELP", "stop"]
`),
    ).toEqual([
      "compliance.keywords.fr.replies.optout: the reply offers START but no active opt-in list has it",
      'compliance.keywords.en.help: "STOP" is both an opt-out keyword and a help keyword',
    ]);
    expect(problems('[compliance.keywords.fr]\nfiller = ["merci", "aide"]\n')).toEqual([
      'compliance.keywords.fr.filler: "AIDE" is both a help keyword and filler',
    ]);
  });
});

describe("smsgw config check", () => {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-cfgkeys-"));
  it("prints the new sections with their defaults and lists the pepper reference", async () => {
    const f = join(dir, "ok.toml");
    writeFileSync(f, `${MODEM}[privacy]\npepper = { env = "SMSGW_TEST_PEPPER" }\n`);
    let out = "";
    let err = "";
    const code = await run(["check", "--config", f], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: {},
    });
    expect(code).toBe(0);
    expect(out).toContain("[retention]");
    expect(out).toContain("bodies_days = 365");
    expect(out).toContain("metadata_days = 1095");
    expect(out).toContain('reply_language = "fr"');
    expect(out).toContain('contact = ""');
    expect(out).toMatch(/\[privacy\.pepper\]\nenv = "SMSGW_TEST_PEPPER"\n/);
    expect(err).toContain(
      "warning: privacy.pepper (environment variable SMSGW_TEST_PEPPER) cannot be read here",
    );
  });
});
