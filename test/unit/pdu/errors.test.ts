import { describe, expect, it } from "vitest";
import { decodePdu, PduDecodeError } from "../../../src/pdu/index.js";

const HELLO = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37";

function decodeError(input: string, opts?: { smsc?: boolean }): PduDecodeError {
  try {
    decodePdu(input, opts);
  } catch (e) {
    if (e instanceof PduDecodeError) return e;
    throw e;
  }
  throw new Error("decoded without error");
}

describe("decode errors carry the field path and absolute offset", () => {
  it("truncated input is rejected", () => {
    for (let cut = 2; cut < HELLO.length; cut += 2) {
      const e = decodeError(HELLO.slice(0, cut));
      expect(e.offset).toBeLessThanOrEqual(cut / 2);
    }
    const e = decodeError(HELLO.slice(0, -2));
    expect(e.field).toBe("tpdu.ud");
    expect(e.offset).toBe(27);
    expect(e.message).toMatch(/tpdu\.ud at octet 27/);
  });

  it("rejects trailing garbage after the declared user data", () => {
    const e = decodeError(`${HELLO}00`);
    expect(e.field).toBe("tpdu");
    expect(e.offset).toBe(HELLO.length / 2);
  });

  it("rejects input that is neither a string nor bytes", () => {
    for (const bad of [undefined, null, 42, {}, ["00"]]) {
      expect(() => decodePdu(bad as unknown as string)).toThrow(PduDecodeError);
    }
  });

  it("rejects non-hex and odd-length input", () => {
    expect(decodeError("07917283010010G5").field).toBe("pdu");
    expect(decodeError("0791728").message).toMatch(/odd/);
    expect(decodeError("").message).toMatch(/empty/);
  });

  it("rejects a UDL larger than the data", () => {
    const e = decodeError("0004 0B913316325476F8 00 08 62116201120049 08 00E9");
    expect(e.field).toBe("tpdu.ud");
  });

  it("rejects a UDL beyond the 23.040 maximum", () => {
    expect(decodeError(`0004 0B913316325476F8 00 08 62116201120049 8E ${"00".repeat(142)}`).field).toBe(
      "tpdu.udl",
    );
    expect(decodeError(`0004 0B913316325476F8 00 00 62116201120049 A1 ${"00".repeat(142)}`).field).toBe(
      "tpdu.udl",
    );
  });

  it("rejects a UDHL that overruns the user data", () => {
    const e = decodeError("0044 0B913316325476F8 00 08 62116201120049 04 0900032A");
    expect(e.field).toBe("tpdu.ud.udh.udhl");
    expect(e.offset).toBe(20);
  });

  it("rejects an information element that overruns the header", () => {
    const e = decodeError("0044 0B913316325476F8 00 08 62116201120049 04 03000500");
    expect(e.field).toBe("tpdu.ud.udh.ie");
  });

  it("rejects the reserved MTI 11", () => {
    const e = decodeError("0003");
    expect(e.field).toBe("tpdu.fo.mti");
    expect(e.offset).toBe(1);
  });

  it("rejects a bad address length", () => {
    const e = decodeError("00 04 FF91");
    expect(e.field).toBe("tpdu.oa.length");
    expect(e.offset).toBe(2);
  });

  it("rejects compressed user data rather than print garbage", () => {
    expect(decodeError("0004 0B913316325476F8 00 20 62116201120049 01 00").field).toBe("tpdu.dcs");
  });

  it("rejects an odd UCS-2 length", () => {
    expect(decodeError("0004 0B913316325476F8 00 08 62116201120049 03 00E900").field).toBe("tpdu.ud");
  });

  it("rejects a GSM-7 UDL shorter than its header", () => {
    expect(decodeError("0044 0B913316325476F8 00 00 62116201120049 06 0500032A0201").field).toBe("tpdu.udl");
  });

  it("reports the offset of truncated SMSC digits (warthog618/sms 'pdumode decode fail' vector)", () => {
    const e = decodeError("07911614220991");
    expect(e.field).toBe("smsc.digits");
    expect(e.offset).toBe(2);
  });

  it("reports a truncated submit's user data at its octet (warthog618/sms 'decode fail' vector)", () => {
    const e = decodeError("010005912143f500000bc8329bfd06dddf7236", { smsc: false });
    expect(e.field).toBe("tpdu.ud");
    expect(e.offset).toBe(10);
  });
});
