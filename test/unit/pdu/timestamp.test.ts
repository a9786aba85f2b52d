import { describe, expect, it } from "vitest";
import { PduDecodeError, PduEncodeError } from "../../../src/pdu/errors.js";
import { fromHex, toHex } from "../../../src/pdu/hex.js";
import { Reader } from "../../../src/pdu/reader.js";
import { readTimestamp, writeTimestamp } from "../../../src/pdu/timestamp.js";

const read = (hex: string) => readTimestamp(new Reader(fromHex(hex)), "tpdu.scts");

describe("service centre time stamp (23.040 §9.2.3.11)", () => {
  it("reads swapped BCD with a positive zone", () => {
    // From the classic deliver example: 99-03-29 15:16:59, +8 quarters.
    expect(read("99309251619580")).toEqual({ iso: "1999-03-29T15:16:59+02:00", offsetMinutes: 120 });
  });

  it("reads a negative zone including quarter hours (-03:30 = -14 quarters)", () => {
    // 14 quarters: tens digit 1 with sign bit 0x08 → low nibble 0x9, units 4 → 0x49.
    expect(read("62116201120049")).toEqual({ iso: "2026-11-26T10:21:00-03:30", offsetMinutes: -210 });
  });

  it("maps two-digit years ≥ 90 to 19xx and others to 20xx", () => {
    expect(read("09010100000000").iso.startsWith("1990-")).toBe(true);
    expect(read("98010100000000").iso.startsWith("1989-")).toBe(false);
    expect(read("98010100000000").iso.startsWith("2089-")).toBe(true);
  });

  it("rejects invalid BCD with the field and absolute offset", () => {
    try {
      read("9930A251619580");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PduDecodeError);
      expect((e as PduDecodeError).field).toBe("tpdu.scts.day");
      expect((e as PduDecodeError).offset).toBe(2);
    }
    expect(() => read("993092516195F0")).toThrow(PduDecodeError);
  });

  it("rejects out-of-range fields and truncation", () => {
    expect(() => read("99319251619580")).toThrow(/month 13/);
    expect(() => read("993092")).toThrow(PduDecodeError);
  });

  it("writes a date in the given zone and reads it back", () => {
    const out = new Uint8Array(7);
    writeTimestamp(new Date("2026-11-26T13:51:00Z"), -210, out, 0, "validity");
    expect(toHex(out)).toBe("62116201120049");
    expect(read(toHex(out)).iso).toBe("2026-11-26T10:21:00-03:30");
    expect(() => writeTimestamp(new Date("x"), 0, out, 0, "validity")).toThrow(PduEncodeError);
    expect(() => writeTimestamp(new Date(), 7, out, 0, "validity")).toThrow(PduEncodeError);
  });
});
