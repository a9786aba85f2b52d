import { describe, expect, it } from "vitest";
import { EngineError } from "../../../src/engine/errors.js";
import { sameSubscriber, toE164 } from "../../../src/engine/phone.js";

describe("recipient validation (toE164)", () => {
  it("normalises a French national mobile number to E.164", () => {
    expect(toE164("06 12 34 56 78", "FR")).toBe("+33612345678");
    expect(toE164("+33 6.12.34.56.78", "FR")).toBe("+33612345678");
  });

  it("refuses a number the numbering plan does not have (max metadata, not only lengths)", () => {
    expect(() => toE164("+33700000000", "FR")).toThrow(EngineError);
    expect(() => toE164("hello", "FR")).toThrow(/not a phone number/);
  });

  it("refuses ARCEP's fiction range 06 39 98 on a real network", () => {
    expect(() => toE164("+33639980002", "FR")).toThrow(/not a valid number/);
  });

  it("accepts the simulated SIMs' numbers as written (regression: the printed curl example got 422)", () => {
    const virtual = new Set(["+33639980001", "+33639980002"]);
    expect(toE164("+33639980002", "FR", virtual)).toBe("+33639980002");
    expect(toE164("+33 6 39 98 00 02", "FR", virtual)).toBe("+33639980002");
    // Only the listed numbers: a neighbour in the same fiction range is still refused.
    expect(() => toE164("+33639980003", "FR", virtual)).toThrow(EngineError);
  });

  it("matches national and international forms of one subscriber", () => {
    expect(sameSubscriber("0612345678", "+33612345678")).toBe(true);
    expect(sameSubscriber("+33612345678", "+33612345679")).toBe(false);
  });
});
