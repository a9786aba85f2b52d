import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultEngineConfig } from "../../../src/queue/config.js";
import { FailureWindow, SendPolicy } from "../../../src/queue/policy.js";

const cfg = { failureWindowMs: 10_000, failureMinSamples: 3, failureThreshold: 0.5 };

/** The window's definition, written plainly: the samples taken after now - window, all of them re-read. */
function reference() {
  let list: { at: number; ok: boolean }[] = [];
  return (ok: boolean, now: number): string | null => {
    list = list.filter((s) => s.at > now - cfg.failureWindowMs);
    list.push({ at: now, ok });
    const failures = list.filter((s) => !s.ok).length;
    if (list.length < cfg.failureMinSamples || failures / list.length < cfg.failureThreshold) return null;
    return `failure rate ${failures}/${list.length} over ${Math.round(cfg.failureWindowMs / 1000)} s`;
  };
}

describe("failure window", () => {
  it("gives the verdicts of re-reading the whole window, clock steps back included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -3_000, max: 4_000 })), { maxLength: 300 }),
        (steps) => {
          const w = new FailureWindow(cfg);
          const ref = reference();
          let now = 1_000_000;
          for (const [ok, dt] of steps) {
            now += dt;
            expect(w.record("m", ok, now)).toBe(ref(ok, now));
          }
        },
      ),
    );
  });

  it("forgets a modem's samples on reset", () => {
    const w = new FailureWindow(cfg);
    w.record("m", false, 0);
    w.record("m", false, 1);
    w.reset("m");
    expect(w.record("m", false, 2)).toBeNull();
    expect(w.record("m", false, 3)).toBeNull();
    expect(w.record("m", false, 4)).toBe("failure rate 3/3 over 10 s");
  });
});

describe("send policy caps", () => {
  it("reports the caps that apply to a SIM, its own limits first, 0 when none", () => {
    const p = new SendPolicy({ ...defaultEngineConfig, dailyCapPerModem: 0, distinctRecipientsCap: 0 });
    expect(p.caps("a")).toEqual({ daily: 0, global: 0, recipients: 0 });
    p.setLimits("a", { dailyCap: 100, distinctRecipientsCap: 50 });
    expect(p.caps("a")).toEqual({ daily: 100, global: 0, recipients: 50 });
    expect(p.check("a", 0, { today: 100, globalToday: 0, recipients: 0 })).toMatchObject({
      ok: false,
      reason: "daily_cap",
    });
    expect(p.caps("b")).toEqual({ daily: 0, global: 0, recipients: 0 });
  });
});
