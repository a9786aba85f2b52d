import { describe, expect, it } from "vitest";
import { defaultEngineConfig } from "../../../src/queue/config.js";
import { SendPolicy } from "../../../src/queue/policy.js";

const idle = { today: 0, globalToday: 0, recipients: 0 };

describe("per-SIM limits (config [[modems]] max_per_minute, max_per_day, max_distinct_recipients_30d)", () => {
  const cfg = { ...defaultEngineConfig, ratePerMinute: 20, rateBurst: 1, dailyCapPerModem: 500 };

  it("each modem keeps its own rate: a slow SIM does not slow the other (regression: one rate for all)", () => {
    const p = new SendPolicy(cfg);
    p.setLimits("slow", { ratePerMinute: 2 });
    p.consume("slow", 0);
    p.consume("fast", 0);
    const slow = p.check("slow", 1_000, idle);
    const fast = p.check("fast", 1_000, idle);
    // 2/min → the next token 30 s after the last one; 20/min → 3 s after (to the ms, rounded up).
    expect(slow).toMatchObject({ ok: false, reason: "rate" });
    expect(fast).toMatchObject({ ok: false, reason: "rate" });
    const at = (v: typeof slow) => (v.ok ? 0 : v.retryAt);
    expect(Math.abs(at(slow) - 30_000)).toBeLessThanOrEqual(2);
    expect(Math.abs(at(fast) - 3_000)).toBeLessThanOrEqual(2);
    expect(p.check("fast", 3_002, idle).ok).toBe(true);
    expect(p.check("slow", 3_002, idle).ok).toBe(false);
  });

  it("daily and distinct-recipient caps are per SIM, defaults elsewhere", () => {
    const p = new SendPolicy(cfg);
    p.setLimits("small-plan", { dailyCap: 100, distinctRecipientsCap: 50 });
    expect(p.check("small-plan", 0, { ...idle, today: 100 })).toMatchObject({
      ok: false,
      reason: "daily_cap",
    });
    expect(p.check("other", 0, { ...idle, today: 100 }).ok).toBe(true);
    expect(p.check("small-plan", 0, { ...idle, today: 10, recipients: 50 })).toEqual({
      ok: true,
      recipientCapReached: true,
    });
    expect(p.check("other", 0, { ...idle, recipients: 50 })).toEqual({
      ok: true,
      recipientCapReached: false,
    });
  });
});
