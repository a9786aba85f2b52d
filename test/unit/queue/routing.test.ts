import { describe, expect, it } from "vitest";
import { defaultEngineConfig } from "../../../src/queue/config.js";
import { nextUtcMidnight, TokenBucket } from "../../../src/queue/policy.js";
import { backoffMs, decide } from "../../../src/queue/retry.js";
import { mulberry32 } from "../../../src/sim/prng.js";
import { deliverPdu } from "../../helpers/engine-fakes.js";
import { A, B, C, setupEngine } from "../../helpers/engine-setup.js";

describe("sticky sender", () => {
  it("keeps a contact on the SIM it last exchanged with", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 3 });
    await modems[2]!.deliver(deliverPdu({ from: A, text: "hello shop", at: clock.now() }));
    for (let i = 0; i < 4; i++) engine.enqueue({ to: A, text: `reply ${i}`, category: "conversational" });
    await clock.advance(5000);
    expect(modems[2]?.sent).toHaveLength(4);
    expect(modems[0]?.sent.length ?? 0).toBe(0);
  });

  it("moves to another SIM after the sticky period", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { stickyMs: 60_000 } });
    await modems[1]!.deliver(deliverPdu({ from: A, text: "hi", at: clock.now() }));
    modems[1]!.latencyMs = 10_000;
    await clock.advance(120_000);
    engine.enqueue({ to: A, text: "x", category: "conversational" });
    await clock.advance(500);
    expect(modems[0]?.sent).toHaveLength(1);
  });

  it("falls back to another modem when the sticky one is down (fallback move)", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2 });
    await modems[1]!.deliver(deliverPdu({ from: A, text: "hi", at: clock.now() }));
    modems[1]!.state = "recovering";
    engine.enqueue({ to: A, text: "x", category: "conversational" });
    await clock.advance(3000);
    expect(modems[0]?.sent).toHaveLength(1);
  });

  it("waits for the sticky modem when the fallback is wait", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { stickyFallback: "wait" } });
    await modems[1]!.deliver(deliverPdu({ from: A, text: "hi", at: clock.now() }));
    modems[1]!.state = "recovering";
    const r = engine.enqueue({ to: A, text: "x", category: "conversational" });
    await clock.advance(10_000);
    expect(engine.getMessage(r.id)?.status).toBe("queued");
    modems[1]!.state = "ready";
    await clock.advance(3000);
    expect(modems[1]?.sent).toHaveLength(1);
    expect(modems[0]?.sent).toHaveLength(0);
  });
});

describe("load and failover", () => {
  it("spreads a backlog over the healthy modems", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 3, start: false });
    for (const m of modems) m.latencyMs = 3000;
    for (let i = 0; i < 30; i++)
      engine.enqueue({ to: `+3361234${String(i).padStart(4, "0")}`, text: `n${i}`, category: "marketing" });
    engine.start();
    await clock.advance(31_000);
    expect(modems.map((m) => m.sent.length)).toEqual([10, 10, 10]);
  });

  it("moves queued messages off a modem that went down, but not its multipart continuation", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, start: false });
    const long = "Lorem ipsum dolor sit amet ".repeat(12);
    modems[0]!.latencyMs = 1000;
    modems[1]!.state = "starting";
    const multi = engine.enqueue({ to: A, text: long, category: "marketing", modem: modems[0]!.id });
    engine.start();
    await clock.advance(1500); // part 1 of 3 left through modem 0
    modems[0]!.state = "recovering";
    modems[1]!.state = "ready";
    const single = engine.enqueue({ to: B, text: "single", category: "marketing" });
    await clock.advance(5000);
    expect(engine.getMessage(single.id)?.parts[0]?.modemId).toBe(modems[1]?.id);
    expect(engine.getMessage(multi.id)?.status).toBe("sending");
    modems[0]!.state = "ready";
    await clock.advance(5000);
    const m = engine.getMessage(multi.id);
    expect(m?.status).toBe("sent");
    expect(modems[0]?.sent.filter((s) => s.decoded.recipient.number === A)).toHaveLength(3);
  });

  it("honours a modem pin", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 3 });
    engine.enqueue({ to: A, text: "x", category: "marketing", modem: modems[1]!.id });
    await clock.advance(1000);
    expect(modems.map((m) => m.sent.length)).toEqual([0, 1, 0]);
  });
});

describe("caps", () => {
  it("rate-limits parts per minute per modem", async () => {
    const { engine, clock, modems } = setupEngine({ config: { ratePerMinute: 6, rateBurst: 1 } });
    for (let i = 0; i < 10; i++) engine.enqueue({ to: A, text: `r${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems[0]?.sent.length).toBeGreaterThanOrEqual(6);
    expect(modems[0]?.sent.length).toBeLessThanOrEqual(7);
  });

  it("stops a SIM at its daily cap until the next UTC day", async () => {
    const { engine, clock, modems } = setupEngine({ config: { dailyCapPerModem: 3 } });
    for (let i = 0; i < 5; i++) engine.enqueue({ to: A, text: `d${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems[0]?.sent).toHaveLength(3);
    await clock.advance(nextUtcMidnight(clock.now()) - clock.now() + 70_000);
    expect(modems[0]?.sent).toHaveLength(5);
  });

  it("applies the global daily cap across modems", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { globalDailyCap: 3 } });
    for (let i = 0; i < 6; i++)
      engine.enqueue({ to: `+3361234${String(i).padStart(4, "0")}`, text: `g${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems.reduce((n, m) => n + m.sent.length, 0)).toBe(3);
  });

  it("keeps a SIM at its distinct-recipient cap to the contacts it already serves", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 1, config: { distinctRecipientsCap: 2 } });
    engine.enqueue({ to: A, text: "1", category: "marketing" });
    engine.enqueue({ to: B, text: "2", category: "marketing" });
    await clock.advance(2000);
    const c = engine.enqueue({ to: C, text: "3", category: "marketing" });
    engine.enqueue({ to: A, text: "4", category: "marketing" });
    await clock.advance(2000);
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["1", "2", "4"]);
    expect(engine.getMessage(c.id)?.status).toBe("queued");
  });
});

describe("each cap on its own (the others 0: their usage is not read)", () => {
  const none = { dailyCapPerModem: 0, distinctRecipientsCap: 0, globalDailyCap: 0 };

  it("a daily cap alone stops the SIM at the cap", async () => {
    const { engine, clock, modems } = setupEngine({ config: { ...none, dailyCapPerModem: 3 } });
    for (let i = 0; i < 5; i++) engine.enqueue({ to: A, text: `d${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems[0]?.sent).toHaveLength(3);
  });

  it("a global daily cap alone stops the gateway at the cap", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { ...none, globalDailyCap: 3 } });
    for (let i = 0; i < 6; i++)
      engine.enqueue({ to: `+3361234${String(i).padStart(4, "0")}`, text: `g${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems.reduce((n, m) => n + m.sent.length, 0)).toBe(3);
  });

  it("a distinct-recipient cap alone keeps the SIM to the contacts it serves", async () => {
    const { engine, clock, modems } = setupEngine({ config: { ...none, distinctRecipientsCap: 2 } });
    engine.enqueue({ to: A, text: "1", category: "marketing" });
    engine.enqueue({ to: B, text: "2", category: "marketing" });
    await clock.advance(2000);
    engine.enqueue({ to: C, text: "3", category: "marketing" });
    engine.enqueue({ to: A, text: "4", category: "marketing" });
    await clock.advance(2000);
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["1", "2", "4"]);
  });

  it("a SIM's own cap applies where the engine-wide caps are 0, also once the SIM has sent", async () => {
    const { engine, clock, modems } = setupEngine({ config: none });
    const id = modems[0]?.id as string;
    engine.enqueue({ to: A, text: "before", category: "marketing" });
    await clock.advance(2000);
    engine.setModemLimits(id, { dailyCap: 3 });
    for (let i = 0; i < 4; i++) engine.enqueue({ to: A, text: `d${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems[0]?.sent).toHaveLength(3);
  });

  it("with no cap at all a SIM sends past the default caps", async () => {
    const { engine, clock, modems } = setupEngine({ config: { ...none, ratePerMinute: 600, rateBurst: 60 } });
    for (let i = 0; i < 160; i++)
      engine.enqueue({ to: `+3361234${String(i).padStart(4, "0")}`, text: `n${i}`, category: "marketing" });
    await clock.advance(60_000);
    expect(modems[0]?.sent).toHaveLength(160);
  });
});

describe("pure helpers", () => {
  it("backoff doubles with jitter and stays under the cap", () => {
    const r = mulberry32(1);
    const cfg = { backoffBaseMs: 1000, backoffMaxMs: 10_000 };
    for (let n = 1; n <= 8; n++) {
      const v = backoffMs(n, cfg, r);
      const step = Math.min(10_000, 1000 * 2 ** (n - 1));
      expect(v).toBeGreaterThanOrEqual(step / 2);
      expect(v).toBeLessThanOrEqual(step);
    }
  });

  it("never turns an unknown outcome into a retry", () => {
    const d = decide(
      { kind: "unknown", reason: "closed-after-pdu", text: "port closed" },
      { attempts: 1, firstAttemptAt: 0 },
      0,
      defaultEngineConfig,
      () => 0.5,
    );
    expect(d).toMatchObject({ kind: "unknown", code: "unknown_closed_after_pdu" });
  });

  it("token bucket allows a burst, then the configured rate", () => {
    const b = new TokenBucket(60, 2, 0);
    expect(b.waitMs(0)).toBe(0);
    b.take(0);
    b.take(0);
    expect(b.waitMs(0)).toBe(1000);
    expect(b.waitMs(1000)).toBe(0);
  });
});

describe("sticky sender and caps", () => {
  it("moves a sticky contact off a SIM that reached its daily cap (fallback move)", async () => {
    const { engine, clock, modems } = setupEngine({ modems: 2, config: { dailyCapPerModem: 1 } });
    await modems[1]!.deliver(deliverPdu({ from: A, text: "hi", at: clock.now() }));
    engine.enqueue({ to: B, text: "uses the cap", category: "marketing", modem: modems[1]!.id });
    await clock.advance(1000);
    const r = engine.enqueue({ to: A, text: "sticky but capped", category: "conversational" });
    await clock.advance(3000);
    expect(engine.getMessage(r.id)?.status).toBe("sent");
    expect(modems[0]?.sent.map((s) => s.decoded.text)).toEqual(["sticky but capped"]);
  });
});
