/**
 * pepperFrom: the erasure-hash key from [privacy] pepper, else generated once in data_dir (0600),
 * and the same bytes whichever way the same text is given.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig, SecretError } from "../../../src/config/index.js";
import { ensureGeneratedPepper } from "../../../src/config/pepper.js";
import { keywordHookConfigFrom, pepperFrom, retentionPolicyFrom } from "../../../src/gateway-config.js";

const MODEM = '[[modems]]\nid = "a"\nport = "sim://sim800"\n';
const config = (dir: string, extra = "") => parseConfig(MODEM + extra, "t.toml", { env: {}, cwd: dir });
const tmp = () => mkdtempSync(join(tmpdir(), "smsgw-pepper-"));

describe("pepperFrom", () => {
  it("generates 32 random bytes once into <data_dir>/pepper, mode 0600, and reuses them", () => {
    const dir = tmp();
    const c = config(dir);
    const first = pepperFrom(c, {});
    const path = join(dir, "data", "pepper");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    expect(Buffer.from(text, "base64url")).toHaveLength(32);
    expect(pepperFrom(c, {}).equals(first)).toBe(true);
    // Another data dir, another pepper: not a constant.
    expect(pepperFrom(config(tmp()), {}).equals(first)).toBe(false);
  });

  it("the generated file referenced as { file = … } gives the same bytes (moving it keeps the hashes)", () => {
    const dir = tmp();
    const generated = pepperFrom(config(dir), {});
    const moved = config(tmp(), `[privacy]\npepper = { file = "${join(dir, "data", "pepper")}" }\n`);
    expect(pepperFrom(moved, {}).equals(generated)).toBe(true);
  });

  it("reads a configured reference and does not write a file then", () => {
    const dir = tmp();
    const c = config(dir, '[privacy]\npepper = { env = "PEPPER" }\n');
    const value = "p".repeat(40);
    expect(pepperFrom(c, { PEPPER: value }).toString("utf8")).toBe(value);
    expect(() => statSync(join(dir, "data", "pepper"))).toThrow();
  });

  it("an unreadable or short pepper is a SecretError naming privacy.pepper, never the value", () => {
    const c = config(tmp(), '[privacy]\npepper = { env = "PEPPER" }\n');
    expect(() => pepperFrom(c, {})).toThrow(SecretError);
    expect(() => pepperFrom(c, {})).toThrow(/^privacy\.pepper: environment variable PEPPER is not set/);
    let message = "";
    try {
      pepperFrom(c, { PEPPER: "short-secret" });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^privacy\.pepper: expected a pepper of at least 32 characters, got 12/);
    expect(message).not.toContain("short-secret");
  });

  it("an emptied generated file is an error, not silently replaced (old hashes would stop matching)", () => {
    const dir = tmp();
    ensureGeneratedPepper(dir);
    writeFileSync(join(dir, "pepper"), "");
    expect(() => ensureGeneratedPepper(dir)).toThrow(SecretError);
  });
});

describe("keywordHookConfigFrom and retentionPolicyFrom", () => {
  it("merges the active languages, takes the reply language's replies and the contact fallback", () => {
    const h = keywordHookConfigFrom(config(tmp(), '[business]\nname = "Boulangerie Martin"\n'));
    expect(h.businessName).toBe("Boulangerie Martin");
    expect(h.businessContact).toBe("répondez à ce SMS pour nous joindre");
    expect(h.lists?.optout).toEqual(expect.arrayContaining(["STOP", "ARRÊT"]));
    expect(h.lists?.help).toEqual(expect.arrayContaining(["AIDE", "HELP"]));
    expect(h.replies?.help).toBe("{business} : {contact}. Répondez STOP pour ne plus recevoir de SMS.");
  });

  it("English replies and a configured contact", () => {
    const h = keywordHookConfigFrom(
      config(
        tmp(),
        '[business]\ncontact = "call 02 40 12 34 56"\n[compliance.keywords]\nlanguages = ["en"]\nreply_language = "en"\n',
      ),
    );
    expect(h.businessContact).toBe("call 02 40 12 34 56");
    expect(h.lists?.optout).not.toContain("ARRÊT");
    expect(h.replies?.optout).toMatch(/^\{business\}: you will not receive/);
  });

  it("retention durations in ms", () => {
    const p = retentionPolicyFrom(config(tmp(), "[retention]\nbodies_days = 2\nidempotency_hours = 3\n"));
    expect(p).toEqual({
      bodiesMs: 2 * 86_400_000,
      metadataMs: 1095 * 86_400_000,
      contactsInactiveMs: 1095 * 86_400_000,
      webhookDeliveriesMs: 30 * 86_400_000,
      idempotencyMs: 3 * 3_600_000,
      inboundDedupeMs: 30 * 86_400_000,
      batchSize: 500,
    });
  });
});
