import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { utcDay } from "../../../src/store/outcome.js";

describe("utcDay (daily counters' key)", () => {
  it("is the UTC date of the instant, whatever instants came before (the last day is reused)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -86_400_000 * 400, max: 86_400_000 * 40_000 }), { maxLength: 50 }),
        (list) => {
          for (const ms of list) expect(utcDay(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
        },
      ),
    );
  });

  it("changes at UTC midnight, not a millisecond before", () => {
    const midnight = Date.UTC(2026, 10, 27);
    expect(utcDay(midnight - 1)).toBe("2026-11-26");
    expect(utcDay(midnight)).toBe("2026-11-27");
    expect(utcDay(midnight - 1)).toBe("2026-11-26");
  });
});
