import { describe, expect, it } from "vitest";
import { AutoEnable } from "../../../src/engine/auto-enable.js";
import type { AutoRecord } from "../../../src/engine/auto-record.js";
import { ManualClock } from "../../helpers/engine-fakes.js";

function rig(ready = true) {
  const clock = new ManualClock();
  const enabled: [string, AutoRecord][] = [];
  const auto = new AutoEnable({
    clock,
    recheckMs: 60_000,
    isReady: () => ready,
    enable: (id, record) => enabled.push([id, record]),
  });
  return { clock, auto, enabled };
}

describe("AutoEnable", () => {
  it("doubles the cool-down of a modem disabled again within the hour, and stores the retry time", async () => {
    const { clock, auto, enabled } = rig();
    const t0 = clock.now();
    const first = auto.next("m");
    expect(first).toEqual({ strikes: 1, lastAt: t0, retryAt: t0 + 5 * 60_000 });
    auto.disabled("m", first);
    await clock.advance(5 * 60_000);
    expect(enabled).toEqual([["m", { strikes: 1, lastAt: t0 + 5 * 60_000, retryAt: null }]]);
    await clock.advance(60_000);
    expect(auto.next("m")).toMatchObject({ strikes: 2, retryAt: clock.now() + 10 * 60_000 });
  });

  it("a stored cool-down already over re-enables at once; one still running waits for its retry time", async () => {
    const { clock, auto, enabled } = rig();
    auto.restore("past", { strikes: 1, lastAt: clock.now() - 600_000, retryAt: clock.now() - 300_000 });
    auto.restore("later", { strikes: 2, lastAt: clock.now(), retryAt: clock.now() + 120_000 });
    await clock.advance(1);
    expect(enabled.map(([id]) => id)).toEqual(["past"]);
    await clock.advance(120_000);
    expect(enabled.map(([id]) => id)).toEqual(["past", "later"]);
  });

  it("a restored record without a retry time schedules nothing but keeps its strikes", async () => {
    const { clock, auto, enabled } = rig();
    auto.restore("m", { strikes: 3, lastAt: clock.now() - 60_000, retryAt: null });
    expect(auto.next("m").strikes).toBe(4); // disabled again soon after its re-enable: longer
    await clock.advance(2 * 60 * 60_000);
    expect(enabled).toEqual([]);
    expect(auto.next("m").strikes).toBe(1); // worked for more than an hour: afresh
  });

  it("keeps rechecking a modem not ready at the end of its cool-down", async () => {
    const { clock, auto, enabled } = rig(false);
    auto.disabled("m");
    await clock.advance(30 * 60_000);
    expect(enabled).toEqual([]);
  });
});
