import { describe, expect, it } from "vitest";
import {
  decodeSeptets,
  encodeSeptets,
  encodeTable,
  packSeptets,
  unpackSeptets,
} from "../../../src/pdu/gsm7.js";
import { LOCKING_TABLES, SINGLE_SHIFT_TABLES } from "../../../src/pdu/gsm7-tables.js";
import { toHex } from "../../../src/pdu/hex.js";

function pack(text: string, fill = 0): string {
  const s = encodeSeptets(text, encodeTable())!;
  const out = new Uint8Array(200);
  const n = packSeptets(s, 0, s.length, fill, out, 0);
  return toHex(out, 0, n);
}

describe("GSM 7-bit default alphabet (23.038 §6.2.1)", () => {
  it("maps the full 128-position table both ways", () => {
    const table = LOCKING_TABLES[0]!;
    expect(table).toHaveLength(128);
    const all = new Uint8Array(128);
    for (let i = 0; i < 128; i++) all[i] = i;
    const decoded = decodeSeptets(all.filter((c) => c !== 0x1b));
    const again = encodeSeptets(decoded, encodeTable())!;
    expect([...again]).toEqual([...all.filter((c) => c !== 0x1b)]);
  });

  it("has the positions the spec assigns to accented letters", () => {
    const t = encodeTable();
    const pos = (ch: string) => t[ch.charCodeAt(0)];
    expect(pos("@")).toBe(0x00);
    expect(pos("è")).toBe(0x04);
    expect(pos("é")).toBe(0x05);
    expect(pos("ù")).toBe(0x06);
    expect(pos("ì")).toBe(0x07);
    expect(pos("ò")).toBe(0x08);
    expect(pos("Ç")).toBe(0x09);
    expect(pos("Ø")).toBe(0x0b);
    expect(pos("Å")).toBe(0x0e);
    expect(pos("Δ")).toBe(0x10);
    expect(pos("É")).toBe(0x1f);
    expect(pos("¤")).toBe(0x24);
    expect(pos("¡")).toBe(0x40);
    expect(pos("§")).toBe(0x5f);
    expect(pos("¿")).toBe(0x60);
    expect(pos("à")).toBe(0x7f);
  });

  it("decodes 0x09 as capital Ç and has no lowercase ç", () => {
    expect(decodeSeptets(Uint8Array.of(0x09))).toBe("Ç");
    expect(encodeSeptets("ç", encodeTable())).toBeNull();
  });

  it("encodes the extension table via ESC 0x1B, two septets each (§6.2.1.1)", () => {
    const s = encodeSeptets("€{}[]~\\|^\f", encodeTable())!;
    expect([...s]).toEqual([
      0x1b, 0x65, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x3c, 0x1b, 0x3e, 0x1b, 0x3d, 0x1b, 0x2f, 0x1b, 0x40, 0x1b,
      0x14, 0x1b, 0x0a,
    ]);
    expect(decodeSeptets(s)).toBe("€{}[]~\\|^\f");
  });

  it("shows an undefined extension code as the default table character (§6.2.1.1)", () => {
    expect(decodeSeptets(Uint8Array.of(0x1b, 0x41))).toBe("A");
    expect(decodeSeptets(Uint8Array.of(0x1b, 0x00))).toBe("@");
  });

  it("shows ESC ESC and a trailing lone ESC as a space", () => {
    expect(decodeSeptets(Uint8Array.of(0x41, 0x1b, 0x1b, 0x42))).toBe("A B");
    expect(decodeSeptets(Uint8Array.of(0x41, 0x1b))).toBe("A ");
  });

  it("has exactly the ten extension characters of the default table", () => {
    expect(Object.keys(SINGLE_SHIFT_TABLES[0]!)).toHaveLength(10);
  });
});

describe("septet packing (23.038 §6.1.2.1.1)", () => {
  it("packs the classic hellohello example", () => {
    expect(pack("hellohello")).toBe("E8329BFD4697D9EC37");
  });

  it("keeps @ (septet 0x00) anywhere, including the last septet", () => {
    const s = encodeSeptets("a@b@", encodeTable())!;
    const out = new Uint8Array(10);
    const n = packSeptets(s, 0, 4, 0, out, 0);
    expect(decodeSeptets(unpackSeptets(out, 0, 0, 4))).toBe("a@b@");
    expect(n).toBe(4);
  });

  it("fills 7 spare bits at the end with CR, not zeros (§6.1.2.3.1)", () => {
    // 7 septets = 49 bits: the 7th octet carries 1 bit of text and 7 spare bits.
    const hex = pack("1234567");
    expect(hex).toBe("31D98C56B3DD1A");
    const last = Number.parseInt(hex.slice(-2), 16);
    expect(last >> 1).toBe(0x0d);
    // A receiver that derives 8 septets from 7 octets reads CR, not "@".
    const bytes = Uint8Array.from(Buffer.from(hex, "hex"));
    expect(decodeSeptets(unpackSeptets(bytes, 0, 0, 8))).toBe("1234567\r");
  });

  it("leaves other spare bit counts zero", () => {
    expect(pack("12345678").length).toBe(14);
    expect(pack("123456")).toBe("31D98C56B301");
  });

  it("starts after fill bits so the text is septet-aligned after a UDH (23.040 §9.2.3.24)", () => {
    // UDH of 6 octets = 48 bits: 1 fill bit brings the text to bit 49 = 7 septets.
    const out = new Uint8Array(10);
    const s = encodeSeptets("Hi", encodeTable())!;
    const n = packSeptets(s, 0, 2, 1, out, 0);
    expect(n).toBe(2);
    expect(decodeSeptets(unpackSeptets(out, 0, 1, 2))).toBe("Hi");
    expect(out[0]! & 1).toBe(0);
  });
});
