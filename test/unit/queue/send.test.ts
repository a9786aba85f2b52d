import { describe, expect, it } from "vitest";
import { EngineError } from "../../../src/engine/errors.js";
import type { MessageStatusEvent } from "../../../src/events.js";
import { A, B, C, setupEngine } from "../../helpers/engine-setup.js";

const long = "Lorem ipsum dolor sit amet ".repeat(12); // > 160 septets → 3 parts

describe("enqueue", () => {
  it("validates the recipient to E.164 with the default country", () => {
    const { engine } = setupEngine({ start: false });
    const r = engine.enqueue({ to: "06 12 34 56 78", text: "hi", category: "transactional" });
    expect(engine.getMessage(r.id)?.contact).toBe(A);
    expect(() => engine.enqueue({ to: "+33 1", text: "hi", category: "transactional" })).toThrow(EngineError);
    expect(() => engine.enqueue({ to: "hello", text: "hi", category: "transactional" })).toThrow(
      /not a phone number/,
    );
  });

  it("rejects bad input with a typed error and stores nothing", () => {
    const { engine } = setupEngine({ start: false });
    const bad = [
      { to: A, text: "", category: "transactional" as const },
      { to: A, text: "x", category: "spam" as "marketing" },
      { to: A, text: "x", category: "marketing" as const, sendAt: "not a date" },
      { to: A, text: "x", category: "marketing" as const, validUntil: Date.UTC(2020, 0, 1) },
      { to: A, text: "x", category: "marketing" as const, modem: "imei:404" },
    ];
    for (const b of bad) expect(() => engine.enqueue(b)).toThrow(EngineError);
    expect(engine.listMessages().items).toHaveLength(0);
  });

  it("precomputes coding and parts, one concat ref per message", () => {
    const { engine } = setupEngine({ start: false });
    const r1 = engine.enqueue({ to: A, text: long, category: "marketing" });
    const r2 = engine.enqueue({ to: A, text: `${long}é€`, category: "marketing" });
    const r3 = engine.enqueue({ to: A, text: "Привет", category: "marketing" });
    expect(r1).toMatchObject({ coding: "gsm7", parts: 3, status: "queued", duplicate: false });
    expect(r3).toMatchObject({ coding: "ucs2", parts: 1 });
    const refs = engine.db
      .prepare("SELECT concat_ref FROM messages WHERE id IN (?, ?)")
      .all(r1.id, r2.id) as {
      concat_ref: number;
    }[];
    expect(refs[0]?.concat_ref).not.toBe(refs[1]?.concat_ref);
  });

  it("returns the original message for a repeated idempotency key, and refuses a different request", () => {
    const { engine } = setupEngine({ start: false });
    const a = engine.enqueue({ to: A, text: "hi", category: "transactional", idempotencyKey: "k1" });
    const b = engine.enqueue({
      to: "0612345678",
      text: "hi",
      category: "transactional",
      idempotencyKey: "k1",
    });
    expect(b).toMatchObject({ id: a.id, duplicate: true });
    expect(engine.listMessages().items).toHaveLength(1);
    expect(() =>
      engine.enqueue({ to: A, text: "other", category: "transactional", idempotencyKey: "k1" }),
    ).toThrow(expect.objectContaining({ code: "idempotency_conflict" }));
  });
});

describe("send loop", () => {
  it("sends, records the MR and emits every transition after commit", async () => {
    const { engine, clock, modems } = setupEngine();
    const seen: MessageStatusEvent[] = [];
    engine.bus.on("message.status", (e) => seen.push(e));
    const r = engine.enqueue({ to: A, text: "hello", category: "transactional" });
    await clock.advance(100);
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("sent");
    expect(m?.parts[0]).toMatchObject({ status: "sent", mr: 0, modemId: modems[0]?.id, attempts: 1 });
    expect(seen.map((e) => e.to)).toEqual(["queued", "sending", "sent"]);
    expect(modems[0]?.sent.map((s) => s.decoded.recipient.number)).toEqual([A]);
    const outbox = engine.db
      .prepare("SELECT COUNT(*) AS n FROM webhook_outbox WHERE event_type = 'message.status'")
      .get();
    expect(outbox).toEqual({ n: 3 });
  });

  it("sends all parts of a multipart message through the same modem", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 3 });
    const r = engine.enqueue({ to: A, text: long, category: "marketing" });
    await clock.advance(5000);
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("sent");
    expect(new Set(m?.parts.map((p) => p.modemId)).size).toBe(1);
    const used = modems.filter((x) => x.sent.length > 0);
    expect(used).toHaveLength(1);
    expect(used[0]?.sent.map((s) => s.decoded.concat?.seq)).toEqual([1, 2, 3]);
  });

  it("sends transactional before marketing", async () => {
    const { engine, clock, modems } = setupEngine({ start: false });
    engine.enqueue({ to: A, text: "promo", category: "marketing" });
    engine.enqueue({ to: B, text: "code 1234", category: "transactional" });
    engine.enqueue({ to: C, text: "reply", category: "conversational" });
    engine.start();
    await clock.advance(1000);
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["code 1234", "reply", "promo"]);
  });

  it("holds a scheduled message until send_at", async () => {
    const { engine, clock, modems } = setupEngine();
    const r = engine.enqueue({ to: A, text: "later", category: "marketing", sendAt: clock.now() + 60_000 });
    expect(r.status).toBe("scheduled");
    await clock.advance(59_000);
    expect(modems[0]?.sent).toHaveLength(0);
    await clock.advance(2_000);
    expect(engine.getMessage(r.id)?.status).toBe("sent");
  });

  it("expires a message whose valid_until passed before it could go out", async () => {
    const { engine, clock, modems } = setupEngine();
    modems[0]!.state = "degraded";
    const r = engine.enqueue({
      to: A,
      text: "otp",
      category: "transactional",
      validUntil: clock.now() + 30_000,
    });
    await clock.advance(61_000); // the sweep runs every 60 s in this setup
    expect(engine.getMessage(r.id)?.status).toBe("expired");
    modems[0]!.state = "ready";
    await clock.advance(2_000);
    expect(modems[0]?.sent).toHaveLength(0);
  });

  it("cancels a queued message and refuses to cancel a sent one", async () => {
    const { engine, clock } = setupEngine();
    const later = engine.enqueue({
      to: A,
      text: "later",
      category: "marketing",
      sendAt: clock.now() + 60_000,
    });
    expect(engine.cancel(later.id)).toBe("canceled");
    const now = engine.enqueue({ to: B, text: "now", category: "marketing" });
    await clock.advance(100);
    expect(() => engine.cancel(now.id)).toThrow(expect.objectContaining({ code: "not_cancelable" }));
    expect(() => engine.cancel("nope")).toThrow(expect.objectContaining({ code: "not_found" }));
    await clock.advance(61_000);
    expect(engine.getMessage(later.id)?.status).toBe("canceled");
  });
});

describe("validity period", () => {
  it("puts valid_until into TP-VP so the network stops trying too", async () => {
    const { engine, clock, modems } = setupEngine();
    engine.enqueue({
      to: A,
      text: "code 1234",
      category: "transactional",
      validUntil: clock.now() + 3_600_000,
    });
    engine.enqueue({ to: B, text: "no expiry", category: "transactional" });
    await clock.advance(1000);
    const [withVp, without] = modems[0]!.sent.map((s) => s.decoded.validity);
    expect(withVp).toEqual({ format: "relative", seconds: 3600 });
    expect(without).toBeNull();
  });
});
