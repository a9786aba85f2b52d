import { describe, expect, it } from "vitest";
import { parseNumber, readSmsc, readTpAddress, writeSmsc, writeTpAddress } from "../../../src/pdu/address.js";
import { PduDecodeError, PduEncodeError } from "../../../src/pdu/errors.js";
import { fromHex, toHex } from "../../../src/pdu/hex.js";
import { Reader } from "../../../src/pdu/reader.js";

function tp(input: string): string {
  const out = new Uint8Array(20);
  return toHex(out, 0, writeTpAddress(parseNumber(input, "to"), out, 0));
}

describe("address encoding (23.040 §9.1.2.5)", () => {
  it("writes an international number with TOA 0x91 and an F filler", () => {
    expect(tp("+33612345678")).toBe("0B913316325476F8");
  });

  it("writes a number without + as TOA 0x81, digits untouched", () => {
    expect(tp("0612345678")).toBe("0A816021436587");
  });

  it("national number containing 00 is not rewritten as international", () => {
    expect(tp("0033612345678")).toBe("0D81003316325476F8");
    expect(tp("06 00 12 00 34")).toBe("0A816000210043");
  });

  it("strips spaces, dots, dashes, parentheses and slashes", () => {
    expect(tp("+33 (0)6.12-34/56 78")).toBe(tp("+330612345678"));
  });

  it("encodes * # a b c as semi-octets A–E (§9.1.2.3)", () => {
    expect(tp("*123#")).toBe("05811A32FB");
  });

  it("rejects letters, a misplaced + and empty numbers with a PduEncodeError naming the field", () => {
    for (const bad of ["+33abcx", "33+6", "", "  ", "+", "1".repeat(21)]) {
      expect(() => parseNumber(bad, "to")).toThrow(PduEncodeError);
    }
    try {
      parseNumber("06x", "to");
    } catch (e) {
      expect((e as PduEncodeError).field).toBe("to");
    }
  });

  it("writes the SMSC field with its octet length, or 00 when absent", () => {
    const out = new Uint8Array(20);
    expect(toHex(out, 0, writeSmsc(null, out, 0))).toBe("00");
    expect(toHex(out, 0, writeSmsc(parseNumber("+27381000015", "smsc"), out, 0))).toBe("07917283010010F5");
  });
});

describe("address decoding", () => {
  const read = (hex: string) => readTpAddress(new Reader(fromHex(hex)), "tpdu.oa");

  it("reads international, national and unknown numbers", () => {
    expect(read("0B913316325476F8")).toEqual({ number: "+33612345678", type: "international", toa: 0x91 });
    expect(read("0AA16021436587")).toEqual({ number: "0612345678", type: "national", toa: 0xa1 });
    expect(read("0A816021436587")).toEqual({ number: "0612345678", type: "unknown", toa: 0x81 });
  });

  it("reads alphanumeric originators (TON 5, packed 7-bit, length in semi-octets)", () => {
    // "Google": 6 septets = 42 bits → 6 octets → 11 useful semi-octets.
    const a = read("0BD0C7F7FBCC2E03");
    expect(a.type).toBe("alphanumeric");
    expect(a.number).toBe("Google");
  });

  it("reads * # digits", () => {
    expect(read("05811A32FB").number).toBe("*123#");
    expect(read("0381AEFD").number).toBe("c*b");
  });

  it("rejects an address length over 20 digits with the field and offset", () => {
    try {
      read("15910000");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PduDecodeError);
      expect((e as PduDecodeError).field).toBe("tpdu.oa.length");
      expect((e as PduDecodeError).offset).toBe(0);
    }
  });

  it("rejects a filler inside the digits", () => {
    expect(() => read("04812F43")).toThrow(PduDecodeError);
  });

  it("reads an SMSC field, null when its length is 0", () => {
    expect(readSmsc(new Reader(fromHex("00")), "smsc")).toBeNull();
    expect(readSmsc(new Reader(fromHex("0181")), "smsc")).toBeNull();
    expect(readSmsc(new Reader(fromHex("07917283010010F5")), "smsc")?.number).toBe("+27381000015");
    expect(() => readSmsc(new Reader(fromHex("0C91")), "smsc")).toThrow(PduDecodeError);
  });
});
