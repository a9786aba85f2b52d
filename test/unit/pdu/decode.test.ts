import { describe, expect, it } from "vitest";
import { decodePdu } from "../../../src/pdu/index.js";

describe("published SMS-DELIVER vectors", () => {
  // The classic example of the GSM 03.40 PDU-format tutorials (dreamfabric "SMS messages and the
  // PDU format"): SMSC +27381000015, originator 27838890001, "hellohello".
  const HELLO = "07917283010010F5040BC87238880900F10000993092516195800AE8329BFD4697D9EC37";

  it("decodes the hellohello deliver PDU", () => {
    const d = decodePdu(HELLO);
    expect(d.type).toBe("deliver");
    if (d.type !== "deliver") return;
    expect(d.smsc).toEqual({ number: "+27381000015", type: "international", toa: 0x91 });
    expect(d.originator.number).toBe("27838890001");
    expect(d.scts).toEqual({ iso: "1999-03-29T15:16:59+02:00", offsetMinutes: 120 });
    expect(d.text).toBe("hellohello");
    expect(d.coding).toBe("gsm7");
    expect(d.concat).toBeNull();
    // First octet 0x04: TP-MMS = 1, no more messages waiting.
    expect(d.moreMessages).toBe(false);
  });

  it("accepts lower case, whitespace and bytes", () => {
    const spaced = HELLO.toLowerCase().replace(/(..)/g, "$1 ");
    expect(decodePdu(spaced)).toEqual(decodePdu(HELLO));
    expect(decodePdu(Uint8Array.from(Buffer.from(HELLO, "hex")))).toEqual(decodePdu(HELLO));
  });

  it("decodes a TPDU without SMSC field when told so", () => {
    const d = decodePdu(HELLO.slice(16), { smsc: false });
    expect(d.smsc).toBeNull();
    expect(d.text).toBe("hellohello");
  });

  it("decodes a UCS-2 deliver with an emoji surrogate pair", () => {
    // Built by hand from 23.040 §9.2.2.1: DCS 08, UDL 6, "é😀" in UTF-16BE.
    const d = decodePdu("0004 0B913316325476F8 00 08 62116201120049 06 00E9D83DDE00");
    expect(d.text).toBe("é😀");
    expect(d.coding).toBe("ucs2");
    if (d.type === "deliver") expect(d.scts.iso).toBe("2026-11-26T10:21:00-03:30");
  });

  it("decodes a concatenated GSM-7 part with fill bits after the UDH", () => {
    // UDH 05 00 03 2A 02 01 (6 octets), then 1 fill bit, then "Hi" at septet 7.
    const d = decodePdu("0044 0B913316325476F8 00 00 62116201120049 09 0500032A0201 9069");
    expect(d.concat).toEqual({ ref: 0x2a, total: 2, seq: 1, refBits: 8 });
    expect(d.udh).toEqual([{ iei: 0, data: "2A0201" }]);
    expect(d.text).toBe("Hi");
  });

  it("decodes a 16-bit reference concatenation IE", () => {
    const d = decodePdu("0044 0B913316325476F8 00 08 62116201120049 09 060804BEEF0302 0041");
    expect(d.concat).toEqual({ ref: 0xbeef, total: 3, seq: 2, refBits: 16 });
    expect(d.text).toBe("A");
  });

  it("decodes 8-bit data as hex and the message class from DCS 1111", () => {
    const d = decodePdu("0004 0B913316325476F8 00 F5 62116201120049 03 DEADBE");
    expect(d.coding).toBe("8bit");
    expect(d.dataHex).toBe("DEADBE");
    expect(d.text).toBeUndefined();
    expect(d.messageClass).toBe(1);
  });
});

describe("published SMS-SUBMIT vectors", () => {
  it("decodes the dreamfabric submit example (VP relative AA = 4 days)", () => {
    const d = decodePdu("0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
    expect(d.type).toBe("submit");
    if (d.type !== "submit") return;
    expect(d.recipient.number).toBe("+46708251358");
    expect(d.validity).toEqual({ format: "relative", seconds: 4 * 86400 });
    expect(d.text).toBe("hellohello");
  });

  it("decodes warthog618/sms smsdecode's pdumode submit vector", () => {
    // github.com/warthog618/sms cmd/smsdecode/smsdecode_test.go, "submit pdumode".
    const d = decodePdu("07911614220991f1010005912143f500000bc8329bfd06dddf723619");
    expect(d.smsc?.number).toBe("+61412290191");
    if (d.type !== "submit") throw new Error("not a submit");
    expect(d.recipient).toEqual({ number: "+12345", type: "international", toa: 0x91 });
    expect(d.text).toBe("Hello world");
  });
});

describe("published SMS-STATUS-REPORT vectors", () => {
  it("decodes a +CDS report (amro.blogspot.com, 'Receiving SMS Status Report', 2007)", () => {
    const d = decodePdu("06000B910221815716F2709021510121807090215101718000", { smsc: false });
    expect(d.type).toBe("status-report");
    if (d.type !== "status-report") return;
    expect(d.mr).toBe(0);
    expect(d.recipient.number).toBe("+20121875612");
    expect(d.scts.iso).toBe("2007-09-12T15:10:12+02:00");
    expect(d.dischargeTime.iso).toBe("2007-09-12T15:10:17+02:00");
    expect(d.status).toBe(0);
    expect(d.statusClass).toBe("delivered");
  });

  it("rejects the nRF9160 +CDS documentation example, which lacks its TP-MR octet", () => {
    // infocenter.nordicsemi.com, "+CDS": 24 octets shown for a stated length of 25; read as
    // written, 0x91 lands in the TP-RA length. Refused with the field, not decoded as garbage.
    expect(() => decodePdu("060C91534810325476171160316255001711603152120000", { smsc: false })).toThrow(
      /tpdu\.ra\.length at octet 2/,
    );
  });

  it("reads the optional TP-PI, PID, DCS and user data after TP-ST", () => {
    const d = decodePdu("0006 07 0B913316325476F8 62116201120049 62116201120049 40 07 00 00 02 C834");
    if (d.type !== "status-report") throw new Error("not a status report");
    expect(d.mr).toBe(7);
    expect(d.status).toBe(0x40);
    expect(d.statusClass).toBe("failed-permanent");
    expect(d.pid).toBe(0);
    expect(d.text).toBe("Hi");
  });
});
