import { describe, expect, it } from "vitest";
import { decodeDcs, encodeDcs } from "../../../src/pdu/dcs.js";
import { fromHex } from "../../../src/pdu/hex.js";
import { Reader } from "../../../src/pdu/reader.js";
import { readUdh, udhLength, writeUdh } from "../../../src/pdu/udh.js";

describe("TP-DCS (23.038 §4)", () => {
  it("general data coding group: alphabet, class, compression", () => {
    expect(decodeDcs(0x00)).toEqual({ coding: "gsm7", messageClass: null, compressed: false });
    expect(decodeDcs(0x04).coding).toBe("8bit");
    expect(decodeDcs(0x08).coding).toBe("ucs2");
    expect(decodeDcs(0x0c).coding).toBe("gsm7");
    expect(decodeDcs(0x12)).toEqual({ coding: "gsm7", messageClass: 2, compressed: false });
    expect(decodeDcs(0x19)).toEqual({ coding: "ucs2", messageClass: 1, compressed: false });
    expect(decodeDcs(0x20).compressed).toBe(true);
    expect(decodeDcs(0x48).coding).toBe("ucs2");
  });

  it("message waiting groups 1100/1101 are GSM-7, 1110 is UCS-2", () => {
    expect(decodeDcs(0xc8).coding).toBe("gsm7");
    expect(decodeDcs(0xd0).coding).toBe("gsm7");
    expect(decodeDcs(0xe0).coding).toBe("ucs2");
  });

  it("data coding / message class group 1111", () => {
    expect(decodeDcs(0xf0)).toEqual({ coding: "gsm7", messageClass: 0, compressed: false });
    expect(decodeDcs(0xf6)).toEqual({ coding: "8bit", messageClass: 2, compressed: false });
  });

  it("reserved groups 1000–1011 are treated as GSM-7", () => {
    for (const dcs of [0x80, 0x90, 0xa4, 0xb8]) expect(decodeDcs(dcs).coding).toBe("gsm7");
  });

  it("encodes class with the general group", () => {
    expect(encodeDcs("gsm7", null)).toBe(0x00);
    expect(encodeDcs("gsm7", 0)).toBe(0x10);
    expect(encodeDcs("ucs2", 3)).toBe(0x1b);
    expect(encodeDcs("8bit", 1)).toBe(0x15);
  });
});

describe("UDH (23.040 §9.2.3.24)", () => {
  it("parses every IE raw and recognises concat and national language IEs", () => {
    const buf = fromHex("0F 00032A0302 240101 250103 0A020100");
    const r = new Reader(buf);
    const u = readUdh(r, buf.length, "tpdu.ud.udh");
    expect(u.ies).toEqual([
      { iei: 0x00, data: "2A0302" },
      { iei: 0x24, data: "01" },
      { iei: 0x25, data: "03" },
      { iei: 0x0a, data: "0100" },
    ]);
    expect(u.concat).toEqual({ ref: 0x2a, total: 3, seq: 2, refBits: 8 });
    expect([u.single, u.locking]).toEqual([1, 3]);
    expect(r.pos).toBe(16);
  });

  it("a concat IE with seq 0 or seq > total is void", () => {
    const bad = fromHex("050003010203");
    expect(readUdh(new Reader(bad), bad.length, "udh").concat).toBeNull();
    const ok = fromHex("050003010302");
    expect(readUdh(new Reader(ok), ok.length, "udh").concat).toEqual({
      ref: 1,
      total: 3,
      seq: 2,
      refBits: 8,
    });
  });

  it("reads the national language IEs", () => {
    const b = fromHex("06240101250103");
    const u = readUdh(new Reader(b), b.length, "udh");
    expect([u.single, u.locking]).toEqual([1, 3]);
  });

  it("writes concat and national language IEs with the right UDHL", () => {
    const spec = { concat: { ref: 0x1234, total: 2, seq: 1, refBits: 16 as const }, single: 1 as const };
    const out = new Uint8Array(20);
    const n = writeUdh(spec, out, 0);
    expect(n).toBe(udhLength(spec));
    expect(Buffer.from(out.subarray(0, n)).toString("hex")).toBe("0908041234020124" + "0101");
    expect(udhLength({})).toBe(0);
  });
});
