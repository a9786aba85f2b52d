import { describe, expect, it } from "vitest";
import { PduDecodeError } from "../../../src/pdu/errors.js";
import { fromHex, toHex } from "../../../src/pdu/hex.js";
import { bcd, toBcd } from "../../../src/pdu/semi-octet.js";

describe("hex", () => {
  it("formats upper case for short and long buffers alike", () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    expect(toHex(bytes)).toBe(Buffer.from(bytes).toString("hex").toUpperCase());
    expect(toHex(bytes, 3, 7)).toBe(Buffer.from(bytes.subarray(3, 7)).toString("hex").toUpperCase());
    expect(toHex(bytes, 10, 40)).toBe(Buffer.from(bytes.subarray(10, 40)).toString("hex").toUpperCase());
    expect(toHex(new Uint8Array(0))).toBe("");
  });

  it("parses either case with whitespace anywhere", () => {
    expect([...fromHex("0a Ff\n\t1B\r\n")]).toEqual([0x0a, 0xff, 0x1b]);
    expect([...fromHex("0aFF1b")]).toEqual([0x0a, 0xff, 0x1b]);
  });

  it("names the octet of the first bad character", () => {
    try {
      fromHex("00 11 2X");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PduDecodeError);
      expect((e as PduDecodeError).offset).toBe(2);
      expect((e as PduDecodeError).message).toMatch(/"X"/);
    }
    expect(() => fromHex("é0")).toThrow(PduDecodeError);
    expect(() => fromHex("001")).toThrow(/odd/);
  });
});

describe("swapped BCD (23.040 §9.2.3.11)", () => {
  it("reads and writes the low nibble as the tens digit", () => {
    expect(bcd(0x21)).toBe(12);
    expect(toBcd(12)).toBe(0x21);
    expect(bcd(0x1a)).toBe(-1);
    expect(bcd(0xa1)).toBe(-1);
    for (let n = 0; n < 100; n++) expect(bcd(toBcd(n))).toBe(n);
  });
});
