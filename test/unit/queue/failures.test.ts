import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SendOutcome } from "../../../src/modem/types.js";
import { deliverPdu, ManualClock } from "../../helpers/engine-fakes.js";
import { A, B, C, setupEngine } from "../../helpers/engine-setup.js";

const retryLater: SendOutcome = {
  kind: "rejected",
  code: 42,
  category: "retry-later",
  text: "+CMS ERROR: 42",
};
const permanent: SendOutcome = { kind: "rejected", code: 21, category: "permanent", text: "+CMS ERROR: 21" };
const fault: SendOutcome = { kind: "rejected", code: 500, category: "modem-fault", text: "+CMS ERROR: 500" };
const timeout: SendOutcome = { kind: "unknown", reason: "timeout", text: "no final result after 60 s" };
const long = "Lorem ipsum dolor sit amet ".repeat(12);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("retryable failures", () => {
  it("back off without blocking other recipients (regression: one bad number stalls the queue, Gammu #381)", async () => {
    const { engine, clock, modems } = setupEngine({ start: false });
    const m = modems[0]!;
    m.respond = (d) =>
      d.recipient.number === A &&
      m.sent.filter((s) => s.decoded.recipient.number === A).length === 0 &&
      clock.now() < start + 20_000
        ? retryLater
        : undefined;
    const start = clock.now();
    const bad = engine.enqueue({ to: A, text: "to the phone that is off", category: "transactional" });
    const ok1 = engine.enqueue({ to: B, text: "one", category: "transactional" });
    const ok2 = engine.enqueue({ to: C, text: "two", category: "transactional" });
    engine.start();
    await clock.advance(2000);
    expect(engine.getMessage(ok1.id)?.status).toBe("sent");
    expect(engine.getMessage(ok2.id)?.status).toBe("sent");
    const p = engine.getMessage(bad.id)?.parts[0];
    expect(p).toMatchObject({ status: "queued", attempts: 1, errorCode: "cms_42" });
    expect(p?.nextAttemptAt).toBeGreaterThan(clock.now() + 10_000); // backoff base 30 s with jitter ≥ ½
    await clock.advance(60_000);
    expect(engine.getMessage(bad.id)?.status).toBe("sent");
    expect(engine.getMessage(bad.id)?.parts[0]?.attempts).toBe(2);
  });

  it("fail with retry_exhausted once the attempt budget is spent", async () => {
    const { engine, clock, modems } = setupEngine({ config: { maxAttempts: 3 } });
    modems[0]!.respond = () => ({ kind: "not-sent", reason: "no-prompt", text: "no > prompt" });
    const r = engine.enqueue({ to: A, text: "x", category: "transactional" });
    await clock.advance(3_600_000);
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("failed");
    expect(m?.parts[0]).toMatchObject({ status: "failed", attempts: 3, errorCode: "retry_exhausted" });
  });
});

describe("permanent failures", () => {
  it("fail the message at once, with the remaining parts", async () => {
    const { engine, clock, modems } = setupEngine();
    modems[0]!.script.push("transmit", permanent);
    const r = engine.enqueue({ to: A, text: long, category: "marketing" });
    await clock.advance(5000);
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("failed");
    expect(m?.errorCode).toBe("cms_21");
    expect(m?.parts.map((p) => p.status)).toEqual(["sent", "failed", "failed"]);
    expect(m?.parts[2]?.errorCode).toBe("sibling_failed");
    expect(modems[0]?.sent).toHaveLength(1);
  });
});

describe("unknown outcome", () => {
  it("is never resent automatically (regression: duplicate SMS after a +CMGS timeout)", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    modems[0]!.respond = () => timeout;
    modems[1]!.respond = () => timeout;
    const r = engine.enqueue({ to: A, text: "pay 10 EUR", category: "transactional" });
    await clock.advance(2 * 3_600_000); // beyond the longest backoff step (30 min)
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("unknown");
    expect(m?.parts[0]).toMatchObject({ status: "unknown", attempts: 1, errorCode: "unknown_timeout" });
  });

  it("is sent again only by an explicit resend", async () => {
    const { engine, clock, modems } = setupEngine();
    modems[0]!.script.push(timeout);
    const r = engine.enqueue({ to: A, text: "pay 10 EUR", category: "transactional" });
    await clock.advance(1000);
    expect(modems[0]?.sent).toHaveLength(0);
    expect(engine.resend(r.id)).toBe("queued");
    await clock.advance(1000);
    expect(engine.getMessage(r.id)?.status).toBe("sent");
    expect(modems[0]?.sent).toHaveLength(1);
    expect(() => engine.resend(r.id)).toThrow(expect.objectContaining({ code: "not_resendable" }));
  });
});

describe("modem faults", () => {
  it("move the part to another modem and count against the faulty one", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, start: false });
    modems[0]!.respond = () => fault;
    modems[1]!.state = "starting";
    const r = engine.enqueue({ to: A, text: long, category: "marketing" });
    engine.start();
    await clock.advance(500);
    modems[1]!.state = "ready";
    await clock.advance(5000);
    const m = engine.getMessage(r.id);
    expect(m?.status).toBe("sent");
    expect(m?.parts.every((p) => p.modemId === modems[1]?.id)).toBe(true);
    expect(engine.listModems().find((x) => x.id === modems[0]?.id)?.failureCount).toBeGreaterThan(0);
  });

  it("take a modem out of rotation above the failure threshold, until enabled again", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { failureMinSamples: 3 } });
    const disabled: string[] = [];
    engine.bus.on("modem.disabled", (e) => disabled.push(`${e.id}: ${e.reason}`));
    modems[0]!.respond = () => fault;
    modems[1]!.latencyMs = 3000; // modem 0 is free first and keeps faulting
    for (let i = 0; i < 6; i++) engine.enqueue({ to: i % 2 ? A : B, text: `m${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(disabled).toHaveLength(1);
    expect(disabled[0]).toMatch(/failure rate/);
    const info = engine.listModems().find((x) => x.id === modems[0]?.id);
    expect(info).toMatchObject({ enabled: false });
    expect(engine.listMessages({ status: "sent" }).items).toHaveLength(6);
    modems[0]!.respond = undefined;
    expect(engine.enableModem(modems[0]!.id)).toBe(true);
    engine.enqueue({ to: C, text: "back", category: "marketing" });
    await clock.advance(1000);
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["back"]);
  });
});

describe("crash recovery", () => {
  it("requeues leases without an attempt mark and marks attempted ones unknown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smsgw-crash-"));
    dirs.push(dir);
    const db = join(dir, "g.db");
    const clock = new ManualClock();
    const first = setupEngine({ db, clock, start: false });
    const a = first.engine.enqueue({ to: A, text: "never reached the modem", category: "transactional" });
    const b = first.engine.enqueue({ to: B, text: "maybe reached it", category: "transactional" });
    // A previous process held both leases; only b's attempt had started.
    first.engine.db
      .prepare("UPDATE parts SET status = 'sending', lease_owner = 'dead:1', lease_expires_at = ?")
      .run(clock.now() + 300_000);
    first.engine.db
      .prepare("UPDATE parts SET attempt_started = 1, attempts = 1 WHERE message_id = ?")
      .run(b.id);
    await first.engine.stop();
    const second = setupEngine({ db, clock, start: false });
    expect(second.engine.start()).toEqual({ requeued: 1, unknown: 1 });
    await clock.advance(1000);
    expect(second.engine.getMessage(a.id)?.status).toBe("sent");
    expect(second.engine.getMessage(b.id)?.status).toBe("unknown");
    expect(second.modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["never reached the modem"]);
    await second.engine.stop();
  });
});

describe("regressions", () => {
  it("a part whose sticky modem faulted on it goes to another modem instead of waiting forever", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    await modems[1]!.deliver(deliverPdu({ from: A, text: "hi", at: clock.now() }));
    modems[1]!.script.push(fault);
    const r = engine.enqueue({ to: A, text: "reply", category: "conversational" });
    await clock.advance(5000);
    expect(engine.getMessage(r.id)?.status).toBe("sent");
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["reply"]);
  });

  it("a part pinned to a modem that faulted on it is retried on that modem", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    modems[1]!.script.push(fault);
    const r = engine.enqueue({ to: A, text: "pinned", category: "transactional", modem: modems[1]!.id });
    await clock.advance(5000);
    expect(engine.getMessage(r.id)?.status).toBe("sent");
    expect(modems[1]?.sent.map((s) => s.decoded.text)).toEqual(["pinned"]);
  });
});
