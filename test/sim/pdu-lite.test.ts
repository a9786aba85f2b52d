import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { gsm7Septets, gsm7Text, packSeptets, unpackSeptets } from "../../src/sim/pdu-gsm7.js";
import { encodeDeliver, encodeStatusReport, PduLiteError } from "../../src/sim/pdu-lite.js";
import { splitText } from "../../src/sim/pdu-split.js";
import { decodeSubmit, encodeSubmit } from "../../src/sim/pdu-submit.js";

/** Gammu (Debian python3-gammu) as an independent decoder. */
function gammuDecode(hex: string): Record<string, unknown> {
  const script = [
    "import gammu, json, sys",
    "d = gammu.DecodePDU(bytes.fromhex(sys.argv[1]))",
    "print(json.dumps({k: d[k] for k in ('Number','Text','Type','Coding','MessageReference','DeliveryStatus')} | {'Part': d['UDH']['PartNumber'], 'All': d['UDH']['AllParts'], 'Id': d['UDH']['ID8bit']}))",
  ].join("\n");
  const r = spawnSync("/usr/bin/python3", ["-c", script, hex], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex").toUpperCase();

describe("GSM 7-bit (23.038 §6.1.2.1.1)", () => {
  it("packs 'hellohello' into the textbook octets E8329BFD4697D9EC37", () => {
    expect(hex(packSeptets(gsm7Septets("hellohello")!))).toBe("E8329BFD4697D9EC37");
  });

  it("packs 'How are you?' into C8F71D14969741F977FD07 and back", () => {
    const packed = packSeptets(gsm7Septets("How are you?")!);
    expect(hex(packed)).toBe("C8F71D14969741F977FD07");
    expect(gsm7Text(unpackSeptets(packed, 12))).toBe("How are you?");
  });

  it("reaches the extension table through ESC (23.038 §6.2.1.1)", () => {
    expect(gsm7Septets("€[")).toEqual([0x1b, 0x65, 0x1b, 0x3c]);
    expect(gsm7Text([0x1b, 0x65, 0x1b, 0x3c])).toBe("€[");
    expect(gsm7Septets("é")).toEqual([0x05]);
    expect(gsm7Septets("ж")).toBeNull();
  });
});

describe("SMS-DELIVER encoder", () => {
  it("matches the hand-assembled PDU for 'How are you?' (SCTS 02-08-26 19:37:41 +02:00)", () => {
    const { pdu, tpduLength } = encodeDeliver({
      from: "+31641600986",
      smsc: "+31624000000",
      timestamp: Date.UTC(2002, 7, 26, 17, 37, 41),
      tzQuarters: 8,
      coding: "gsm7",
      text: "How are you?",
    });
    // SMSC 07 91 1326040000F0 | 04 | OA 0B 91 1346610089F6 | PID 00 | DCS 00 | SCTS 20806291731480 | 0C | UD
    expect(pdu).toBe("07911326040000F0040B911346610089F60000208062917314800CC8F71D14969741F977FD07");
    expect(tpduLength).toBe(30);
    expect(gammuDecode(pdu)).toMatchObject({ Number: "+31641600986", Text: "How are you?", Type: "Deliver" });
  });

  it("puts UCS-2 text and an 8-bit concatenation UDH where Gammu finds them", () => {
    const { pdu } = encodeDeliver({
      from: "+33612345678",
      smsc: "+33609001390",
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
      coding: "ucs2",
      text: "Привет €",
      concat: { ref: 7, total: 2, seq: 1, refBits: 8 },
    });
    expect(gammuDecode(pdu)).toMatchObject({
      Text: "Привет €",
      Coding: "Unicode_No_Compression",
      Part: 1,
      All: 2,
      Id: 7,
    });
  });

  it("aligns GSM 7-bit text after a UDH with fill bits (23.040 §9.2.3.24)", () => {
    const { pdu } = encodeDeliver({
      from: "+33612345678",
      smsc: "+33609001390",
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
      coding: "gsm7",
      text: "[hi] {€}",
      concat: { ref: 300, total: 3, seq: 2, refBits: 16 },
    });
    const ud = Buffer.from(pdu.slice(-38), "hex");
    expect(pdu.slice(-40, -38)).toBe("15"); // UDL: 8 header septets + 13 text septets
    expect(hex(ud.subarray(0, 7))).toBe("060804012C0302");
    // Hand check: septets 8.. are ESC '<' 'h' 'i' ESC '>' ' ' ESC '(' ESC 'e' ESC ')'
    expect(unpackSeptets(ud, 21, 8)).toEqual([
      0x1b, 0x3c, 0x68, 0x69, 0x1b, 0x3e, 0x20, 0x1b, 0x28, 0x1b, 0x65, 0x1b, 0x29,
    ]);
  });

  it("builds a GSM 7-bit part with an 8-bit reference that Gammu reads", () => {
    const { pdu } = encodeDeliver({
      from: "+33612345678",
      smsc: "+33609001390",
      timestamp: Date.UTC(2026, 0, 2, 3, 4, 5),
      coding: "gsm7",
      text: "part two",
      concat: { ref: 200, total: 2, seq: 2, refBits: 8 },
    });
    expect(gammuDecode(pdu)).toMatchObject({ Text: "part two", Part: 2, All: 2, Id: 200 });
  });
});

describe("SMS-STATUS-REPORT encoder (23.040 §9.2.2.3)", () => {
  it("carries MR, recipient and TP-ST as Gammu reads them", () => {
    const { pdu, tpduLength } = encodeStatusReport({
      mr: 42,
      recipient: "+33612345678",
      smsc: "+33609001390",
      submittedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
      dischargedAt: Date.UTC(2026, 0, 2, 3, 4, 9),
      status: 0,
    });
    expect(pdu).toBe("07913306091093F0062A0B913316325476F8621020304050006210203040900000");
    expect(tpduLength).toBe(25);
    expect(gammuDecode(pdu)).toMatchObject({
      Type: "Status_Report",
      MessageReference: 42,
      Number: "+33612345678",
    });
  });
});

describe("SMS-SUBMIT decoder", () => {
  it("reads the textbook submit to +46708251358 'hellohello' with relative validity", () => {
    const s = decodeSubmit("0011000B916407281553F80000AA0AE8329BFD4697D9EC37");
    expect(s).toMatchObject({
      to: "+46708251358",
      text: "hellohello",
      mr: 0,
      srr: false,
      tpduLength: 23,
      smsc: null,
    });
  });

  it("reads what its own encoder wrote, and Gammu agrees (UCS-2, status report requested)", () => {
    const { pdu, tpduLength } = encodeSubmit({
      to: "+33698765432",
      ud: { coding: "ucs2", text: "Ça va ? 😀" },
      srr: true,
    });
    expect(decodeSubmit(pdu)).toMatchObject({
      to: "+33698765432",
      text: "Ça va ? 😀",
      srr: true,
      tpduLength,
    });
    expect(gammuDecode(pdu)).toMatchObject({ Number: "+33698765432", Text: "Ça va ? 😀", Type: "Submit" });
  });

  it("reads the concatenation IE of a submitted part", () => {
    const { pdu } = encodeSubmit({
      to: "0612345678",
      ud: { coding: "gsm7", text: "abc", concat: { ref: 9, total: 3, seq: 3, refBits: 8 } },
    });
    expect(decodeSubmit(pdu)).toMatchObject({
      to: "0612345678",
      text: "abc",
      concat: { ref: 9, total: 3, seq: 3 },
    });
  });

  it("refuses an SMS-DELIVER and a short user data with the octet offset", () => {
    expect(() => decodeSubmit("0004")).toThrow(PduLiteError);
    expect(() => decodeSubmit("0004")).toThrow(/octet 1/);
    expect(() => decodeSubmit("0011000B916407281553F80000AA0AE8329BFD46")).toThrow(/TP-UDL 10/);
    expect(() => decodeSubmit("0011zz")).toThrow(/hex/);
  });
});

describe("splitText (23.040 §9.2.3.24.1)", () => {
  it("uses 160 septets single, 153 per part once concatenated", () => {
    expect(splitText("a".repeat(160), { ref: 1 })).toHaveLength(1);
    const parts = splitText("a".repeat(161), { ref: 1 });
    expect(parts.map((p) => p.text.length)).toEqual([153, 8]);
    expect(parts[1]?.concat).toEqual({ ref: 1, total: 2, seq: 2, refBits: 8 });
  });

  it("never cuts an escape sequence in two", () => {
    const parts = splitText(`${"a".repeat(152)}€b${"c".repeat(10)}`, { ref: 1 });
    expect(parts[0]?.text).toBe("a".repeat(152));
    expect(parts[1]?.text.startsWith("€")).toBe(true);
  });

  it("uses 67 UCS-2 units per part and forces a number of parts on request", () => {
    expect(splitText("ж".repeat(71), { ref: 2 }).map((p) => p.text.length)).toEqual([67, 4]);
    expect(splitText("hello world", { ref: 3, parts: 3 }).map((p) => p.concat?.seq)).toEqual([1, 2, 3]);
  });
});
