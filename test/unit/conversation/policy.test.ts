import { beforeEach, describe, expect, it } from "vitest";
import { optOut, recordConsent } from "../../../src/conversation/consent.js";
import { touchContact, updateContact } from "../../../src/conversation/contacts.js";
import {
  checkDispatch,
  marketingBody,
  type PolicyConfig,
  planSend,
} from "../../../src/conversation/policy.js";
import { ensureConversationSchema } from "../../../src/conversation/schema.js";
import { PROFILES } from "../../../src/conversation/windows.js";
import { Engine } from "../../../src/engine/engine.js";

const A = "+33612345678";
const cfg: PolicyConfig = { businessName: "Garage Dupont", window: PROFILES["af2m-2026"] };
let engine: Engine;
let at = Date.parse("2026-11-26T09:00:00Z"); // Thursday 10:00 Paris
const ctx = () => ({ db: engine.db, at });

function message(category: "marketing" | "transactional" | "conversational", to = A): string {
  return engine.enqueue({ to, text: "hello", category }).id;
}

beforeEach(() => {
  at = Date.parse("2026-11-26T09:00:00Z");
  engine = new Engine({ db: ":memory:", clock: { now: () => at, setTimeout: () => ({ clear() {} }) } });
  ensureConversationSchema(engine.db);
});

describe("marketing body", () => {
  it("appends the footer unless the business name and STOP are both present", () => {
    expect(marketingBody("-10% cette semaine", cfg)).toBe(
      "-10% cette semaine\nGarage Dupont : répondez STOP pour ne plus recevoir de SMS.",
    );
    expect(marketingBody("Garage Dupont: -10%", cfg)).toMatch(/répondez STOP/);
    expect(marketingBody("-10%, stop au 06", cfg)).toMatch(/\nGarage Dupont/);
    expect(marketingBody("GARAGE DUPONT -10% Stop au 06", cfg)).toBe("GARAGE DUPONT -10% Stop au 06");
    expect(marketingBody("x", { ...cfg, footer: "{business} - STOP au 06 12 34 56 78" })).toBe(
      "x\nGarage Dupont - STOP au 06 12 34 56 78",
    );
  });
});

describe("enqueue-time plan", () => {
  it("schedules marketing into the contact's own window (zone override honoured)", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    at = Date.parse("2026-11-26T19:00:00Z"); // 20:00 Paris: open; 23:00 in Réunion: closed
    expect(planSend(ctx(), { to: A, text: "x", category: "marketing" }, cfg).sendAt).toBeNull();
    updateContact(ctx(), A, { timeZone: "Indian/Reunion" });
    expect(planSend(ctx(), { to: A, text: "x", category: "marketing" }, cfg).sendAt).toBe(
      Date.parse("2026-11-27T04:00:00Z"),
    );
    // Transactional: no window, text untouched.
    expect(planSend(ctx(), { to: A, text: "x", category: "transactional" }, cfg)).toEqual({
      text: "x",
      sendAt: null,
    });
  });

  it("a later sendAt than the window is kept; an earlier one is moved to the window", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "soft-opt-in",
      source: "in-store",
    });
    const later = Date.parse("2026-11-27T10:00:00Z");
    expect(planSend(ctx(), { to: A, text: "x", category: "marketing", sendAt: later }, cfg).sendAt).toBe(
      later,
    );
    const night = Date.parse("2026-11-27T03:00:00Z");
    expect(planSend(ctx(), { to: A, text: "x", category: "marketing", sendAt: night }, cfg).sendAt).toBe(
      Date.parse("2026-11-27T07:00:00Z"),
    );
  });
});

describe("dispatch-time re-check", () => {
  it("cancels anything for an opted-out contact except the exempt confirmation", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    const promo = message("marketing");
    const notice = message("transactional");
    const confirmation = message("transactional");
    engine.db
      .prepare("INSERT INTO compliance_exempt (message_id, contact, reason, created_at) VALUES (?, ?, ?, ?)")
      .run(confirmation, A, "optout-confirmation", at);
    expect(checkDispatch(ctx(), { messageId: promo, to: A }, cfg)).toEqual({ ok: true });
    optOut(ctx(), A, { source: "sms-keyword", keyword: "STOP" });
    expect(checkDispatch(ctx(), { messageId: promo, to: A }, cfg)).toEqual({
      ok: false,
      action: "cancel",
      reason: "opted-out",
    });
    expect(checkDispatch(ctx(), { messageId: notice, to: A }, cfg)).toMatchObject({ action: "cancel" });
    expect(checkDispatch(ctx(), { messageId: confirmation, to: A }, cfg)).toEqual({ ok: true });
  });

  it("cancels marketing whose consent was withdrawn after enqueue, defers it outside the window", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    const promo = message("marketing");
    at = Date.parse("2026-11-28T21:00:00Z"); // Saturday 22:00 Paris
    expect(checkDispatch(ctx(), { messageId: promo, to: A }, cfg)).toEqual({
      ok: false,
      action: "defer",
      reason: "window",
      until: Date.parse("2026-11-30T07:00:00Z"),
    });
    recordConsent(ctx(), { contact: A, purpose: "marketing", status: "withdrawn", source: "api" });
    expect(checkDispatch(ctx(), { messageId: promo, to: A }, cfg)).toEqual({
      ok: false,
      action: "cancel",
      reason: "consent-missing",
    });
  });

  it("optionally reopens conversational replies to an opted-out contact who wrote again, never marketing", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    touchContact(ctx(), A, "inbound");
    optOut(ctx(), A, { source: "sms-keyword", keyword: "STOP" });
    const open = { ...cfg, conversationalAfterInbound: true };
    const reply = { to: A, text: "Votre véhicule est prêt", category: "conversational" };
    expect(() => planSend(ctx(), reply, open)).toThrow(expect.objectContaining({ problem: "opted-out" }));
    at += 3_600_000;
    touchContact(ctx(), A, "inbound"); // "Bonjour, il est prêt ?"
    expect(planSend(ctx(), reply, open).text).toBe("Votre véhicule est prêt");
    expect(() => planSend(ctx(), reply, cfg)).toThrow(expect.objectContaining({ problem: "opted-out" }));
    expect(() => planSend(ctx(), { ...reply, category: "marketing" }, open)).toThrow(
      expect.objectContaining({ problem: "opted-out" }),
    );
    expect(checkDispatch(ctx(), { messageId: message("conversational"), to: A }, open)).toEqual({ ok: true });
  });

  it("caps marketing per contact over a rolling window; canceled messages do not count", () => {
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    const capped = { ...cfg, marketingCap: { max: 2, perDays: 30 } };
    const promo = { to: A, text: "x", category: "marketing" };
    const first = message("marketing");
    message("marketing");
    expect(() => planSend(ctx(), promo, capped)).toThrow(
      expect.objectContaining({ problem: "frequency-cap" }),
    );
    expect(planSend(ctx(), { ...promo, category: "transactional" }, capped).sendAt).toBeNull();
    engine.cancel(first);
    expect(planSend(ctx(), promo, capped).text).toMatch(/STOP/);
    message("marketing");
    at += 31 * 86_400_000;
    expect(planSend(ctx(), promo, capped).text).toMatch(/STOP/);
  });
});

describe("zone override and holidays", () => {
  it("a metropolitan number living in Guadeloupe gets no marketing on Guadeloupe's Good Friday (regression: the override kept the number's holiday calendar)", () => {
    at = Date.parse("2026-04-03T16:00:00Z"); // Good Friday, 12:00 in Guadeloupe, 18:00 in Paris
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    const req = { to: A, text: "x", category: "marketing" } as const;
    // Metropolitan France: Good Friday is a working day (outside Alsace-Moselle), in the window.
    expect(planSend(ctx(), req, cfg).sendAt).toBeNull();
    updateContact(ctx(), A, { timeZone: "America/Guadeloupe" });
    // Saturday 08:00 in Guadeloupe (UTC-4).
    expect(planSend(ctx(), req, cfg).sendAt).toBe(Date.parse("2026-04-04T12:00:00Z"));
  });
});

describe("validUntil before the window opens", () => {
  it("refuses marketing as outside-window with the opening time (regression: an engine invalid_request about a sendAt never sent)", () => {
    at = Date.parse("2026-11-26T21:00:00Z"); // Thursday 22:00 Paris: window shut until Friday 08:00
    recordConsent(ctx(), {
      contact: A,
      purpose: "marketing",
      status: "granted",
      basis: "opt-in",
      source: "api",
    });
    const req = { to: A, text: "x", category: "marketing" } as const;
    const opens = Date.parse("2026-11-27T07:00:00Z");
    expect(() => planSend(ctx(), { ...req, validUntil: opens }, cfg)).toThrow(
      expect.objectContaining({
        problem: "outside-window",
        extensions: { nextWindowAt: "2026-11-27T07:00:00.000Z" },
      }),
    );
    expect(planSend(ctx(), { ...req, validUntil: opens + 60_000 }, cfg).sendAt).toBe(opens);
    // Transactional messages have no window: validUntil is the engine's business only.
    expect(
      planSend(ctx(), { to: A, text: "x", category: "transactional", validUntil: at + 1 }, cfg).sendAt,
    ).toBeNull();
  });
});
