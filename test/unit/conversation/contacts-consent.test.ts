import { beforeEach, describe, expect, it } from "vitest";
import {
  ConsentError,
  currentConsent,
  hasConsent,
  history,
  optIn,
  optOut,
  recordConsent,
  suppressionOf,
} from "../../../src/conversation/consent.js";
import {
  ContactError,
  ensureContact,
  getContact,
  localeOf,
  touchContact,
  updateContact,
} from "../../../src/conversation/contacts.js";
import { ensureConversationSchema } from "../../../src/conversation/schema.js";
import { type Db, openDb } from "../../../src/store/db.js";

let db: Db;
let at = Date.UTC(2026, 10, 26, 9);
const ctx = () => ({ db, at });
beforeEach(() => {
  db = openDb({ path: ":memory:" });
  ensureConversationSchema(db);
  at = Date.UTC(2026, 10, 26, 9);
});

describe("time zone from the number", () => {
  it.each([
    ["+33612345678", "FR", "Europe/Paris"],
    ["+590690123456", "GP", "America/Guadeloupe"],
    ["+596696123456", "MQ", "America/Martinique"],
    ["+594694123456", "GF", "America/Cayenne"],
    ["+262692123456", "RE", "Indian/Reunion"],
    ["+262639012345", "YT", "Indian/Mayotte"],
    ["+508551234", "PM", "America/Miquelon"],
    ["+687751234", "NC", "Pacific/Noumea"],
    ["+68987123456", "PF", "Pacific/Tahiti"],
    ["+681821234", "WF", "Pacific/Wallis"],
    ["+32470123456", "BE", "Europe/Brussels"],
    ["+41791234567", "CH", "Europe/Zurich"],
    ["+352621123456", "LU", "Europe/Luxembourg"],
    ["+377612345678", "MC", "Europe/Monaco"],
    ["+4915112345678", "DE", "Europe/Berlin"],
    ["+34612345678", "ES", "Europe/Madrid"],
    ["+393123456789", "IT", "Europe/Rome"],
    ["+376312345", "AD", "Europe/Andorra"],
  ])("%s → %s %s", (n, region, zone) => {
    expect(localeOf(n)).toEqual({ region, zone });
  });

  it("falls back to the business zone for other regions and for garbage", () => {
    expect(localeOf("+14155552671", "Europe/Paris")).toEqual({ region: "US", zone: "Europe/Paris" });
    expect(localeOf("SHOP", "Indian/Reunion")).toEqual({ region: null, zone: "Indian/Reunion" });
  });
});

describe("contacts", () => {
  it("creates a contact once and tracks first/last contact and last inbound", () => {
    const c = ensureContact(ctx(), "+262692123456");
    expect(c).toMatchObject({ timeZone: "Indian/Reunion", region: "RE", firstContactAt: null, tags: [] });
    touchContact(ctx(), "+262692123456", "outbound");
    at += 60_000;
    const t = touchContact(ctx(), "+262692123456", "inbound");
    expect(t.firstContactAt).toBe(at - 60_000);
    expect(t.lastContactAt).toBe(at);
    expect(t.lastInboundAt).toBe(at);
  });

  it("overrides the zone (a mainland number used in Réunion) and goes back to the derived one", () => {
    updateContact(ctx(), "+33612345678", { name: "Léa", timeZone: "Indian/Reunion", tags: ["vip", "vip"] });
    expect(getContact(ctx(), "+33612345678")).toMatchObject({
      name: "Léa",
      timeZone: "Indian/Reunion",
      zoneOverridden: true,
      tags: ["vip"],
    });
    updateContact(ctx(), "+33612345678", { fields: { order: "A12" } });
    expect(getContact(ctx(), "+33612345678")).toMatchObject({
      timeZone: "Indian/Reunion",
      fields: { order: "A12" },
    });
    updateContact(ctx(), "+33612345678", { timeZone: null });
    expect(getContact(ctx(), "+33612345678")).toMatchObject({
      timeZone: "Europe/Paris",
      zoneOverridden: false,
    });
  });

  it("refuses an unknown zone with a typed error and changes nothing", () => {
    expect(() => updateContact(ctx(), "+33612345678", { timeZone: "Mars/Olympus" })).toThrow(ContactError);
    expect(getContact(ctx(), "+33612345678")).toBeUndefined();
    updateContact(ctx(), "+33612345678", { name: "Léa" });
    expect(() => updateContact(ctx(), "+33612345678", { timeZone: "Mars/Olympus" })).toThrow(ContactError);
    expect(getContact(ctx(), "+33612345678")).toMatchObject({ name: "Léa", timeZone: "Europe/Paris" });
  });
});

describe("consent ledger", () => {
  const A = "+33612345678";

  it("derives the current consent from the latest row and keeps the whole history", () => {
    expect(currentConsent(ctx(), A, "marketing")).toBeUndefined();
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "web-form",
      evidence: { form: "newsletter-v3", checkbox: "J'accepte de recevoir des offres par SMS" },
    });
    expect(hasConsent(ctx(), A, "marketing")).toBe(true);
    at += 1000;
    recordConsent(ctx(), { contact: A, purpose: "marketing", status: "withdrawn", source: "api" });
    expect(hasConsent(ctx(), A, "marketing")).toBe(false);
    expect(history(ctx(), A).map((r) => r.status)).toEqual(["granted", "withdrawn"]);
    expect(history(ctx(), A)[0]?.evidence).toMatchObject({ form: "newsletter-v3" });
  });

  it("is append-only: an UPDATE is refused by the database", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    expect(() => db.prepare("UPDATE consent_ledger SET status = 'withdrawn'").run()).toThrow(/append-only/);
    expect(hasConsent(ctx(), A, "marketing")).toBe(true);
  });

  it("refuses a grant without a basis, an unknown source, and a consent dated in the future", () => {
    expect(() =>
      recordConsent(ctx(), { contact: A, purpose: "marketing", status: "granted", source: "api" }),
    ).toThrow(ConsentError);
    expect(() =>
      recordConsent(ctx(), {
        contact: A,
        purpose: "marketing",
        status: "granted",
        basis: "opt-in",
        source: "fax" as "api",
      }),
    ).toThrow(ConsentError);
    expect(() =>
      recordConsent(ctx(), {
        contact: A,
        purpose: "marketing",
        status: "granted",
        basis: "opt-in",
        source: "import",
        at: at + 1,
      }),
    ).toThrow(ConsentError);
    expect(history(ctx(), A)).toEqual([]);
  });

  it("opt-out withdraws every granted purpose, once; opt-in restores exactly those", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "in-store",
    });
    recordConsent(ctx(), { contact: A, purpose: "survey", status: "withdrawn", source: "api" });
    const out = optOut(ctx(), A, { source: "sms-keyword", keyword: "STOP", inboundMessageId: "in1" });
    expect(out).toEqual({ changed: true, purposes: ["marketing"] });
    expect(suppressionOf(ctx(), A)).toMatchObject({ keyword: "STOP", inboundMessageId: "in1" });
    expect(hasConsent(ctx(), A, "marketing")).toBe(false);
    expect(optOut(ctx(), A, { source: "sms-keyword", keyword: "STOP" })).toEqual({
      changed: false,
      purposes: [],
    });
    const back = optIn(ctx(), A, { source: "sms-keyword", keyword: "START", inboundMessageId: "in2" });
    expect(back).toEqual({ changed: true, purposes: ["marketing"] });
    expect(suppressionOf(ctx(), A)).toBeUndefined();
    expect(hasConsent(ctx(), A, "marketing")).toBe(true);
    expect(hasConsent(ctx(), A, "survey")).toBe(false);
    expect(currentConsent(ctx(), A, "marketing")?.evidence).toMatchObject({ inboundMessageId: "in2" });
    expect(optIn(ctx(), A, { source: "sms-keyword" }).changed).toBe(false);
  });
});
