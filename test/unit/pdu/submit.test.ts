import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, PduEncodeError } from "../../../src/pdu/index.js";

describe("SMS-SUBMIT encoding matches published vectors", () => {
  it("reproduces the dreamfabric submit example byte for byte", () => {
    const e = encodeSubmit({
      to: "+46708251358",
      text: "hellohello",
      validity: { format: "relative", seconds: 4 * 86400 },
    });
    expect(e.parts).toHaveLength(1);
    expect(e.parts[0]!.pdu).toBe("000011000B916407281553F80000AA0AE8329BFD4697D9EC37".slice(2));
    expect(e.parts[0]!.tpduLength).toBe(23);
  });

  it("reproduces warthog618/sms's pdumode submit vector with an SMSC", () => {
    const e = encodeSubmit({ to: "+12345", text: "Hello world", smsc: "+61412290191" });
    expect(e.parts[0]!.pdu).toBe("07911614220991F1010005912143F500000BC8329BFD06DDDF723619");
    expect(e.parts[0]!.tpduLength).toBe(20);
  });
});

describe("SMS-SUBMIT header fields (23.040 §9.2.2.2)", () => {
  const fo = (opts: Partial<Parameters<typeof encodeSubmit>[0]>) =>
    Number.parseInt(encodeSubmit({ to: "+1", text: "a", ...opts }).parts[0]!.pdu.slice(2, 4), 16);

  it("sets MTI 01, RD, SRR, and leaves RP 0", () => {
    expect(fo({})).toBe(0x01);
    expect(fo({ rejectDuplicates: true })).toBe(0x05);
    expect(fo({ statusReport: true })).toBe(0x21);
  });

  it("sets UDHI only on concatenated parts", () => {
    const e = encodeSubmit({ to: "+1", text: "a".repeat(200), concatRef: 9 });
    for (const p of e.parts) expect(Number.parseInt(p.pdu.slice(2, 4), 16) & 0x40).toBe(0x40);
  });

  it("writes TP-MR, TP-PID and the class in the DCS", () => {
    const d = decodePdu(
      encodeSubmit({ to: "+1", text: "a", mr: 200, pid: 0x41, messageClass: 0 }).parts[0]!.pdu,
    );
    if (d.type !== "submit") throw new Error("not a submit");
    expect(d.mr).toBe(200);
    expect(d.pid).toBe(0x41);
    expect(d.dcs).toBe(0x10);
    expect(d.messageClass).toBe(0);
  });

  it("DCS per coding and class: 0x10|c gsm7, 0x18|c UCS-2, 0x14|c 8-bit", () => {
    const dcs = (opts: Partial<Parameters<typeof encodeSubmit>[0]>) =>
      decodePdu(encodeSubmit({ to: "+1", ...opts }).parts[0]!.pdu).dcs;
    expect(dcs({ text: "a", messageClass: 2 })).toBe(0x12);
    expect(dcs({ text: "ç", messageClass: 1 })).toBe(0x19);
    expect(dcs({ data: Uint8Array.of(1), messageClass: 3 })).toBe(0x17);
    expect(dcs({ text: "ç" })).toBe(0x08);
    expect(dcs({ data: Uint8Array.of(1) })).toBe(0x04);
  });

  it("tpduLength counts TPDU octets without the SMSC field", () => {
    const e = encodeSubmit({ to: "+33612345678", text: "x", smsc: "+33609001390" });
    const p = e.parts[0]!;
    expect(p.tpduLength).toBe(p.pdu.length / 2 - 8);
  });

  it("an empty text is one part with UDL 0", () => {
    const e = encodeSubmit({ to: "+1", text: "" });
    expect(e.parts).toHaveLength(1);
    expect(e.parts[0]!.pdu.endsWith("000000")).toBe(true);
    expect(decodePdu(e.parts[0]!.pdu).text).toBe("");
  });

  it("encodes binary data as 8-bit and splits it at 134 octets", () => {
    const data = new Uint8Array(300).map((_, i) => i & 0xff);
    const e = encodeSubmit({ to: "+1", data, concatRef: 3 });
    expect(e.coding).toBe("8bit");
    expect(e.parts).toHaveLength(3);
    const hex = e.parts.map((p) => decodePdu(p.pdu).dataHex).join("");
    expect(hex).toBe(Buffer.from(data).toString("hex").toUpperCase());
  });
});

describe("invalid options throw PduEncodeError naming the field", () => {
  const field = (opts: Parameters<typeof encodeSubmit>[0]) => {
    try {
      encodeSubmit(opts);
    } catch (e) {
      if (e instanceof PduEncodeError) return e.field;
      throw e;
    }
    return "no error";
  };

  it("bad number, mr, pid, class, concatRef, forced gsm7", () => {
    expect(field({ to: "call me", text: "a" })).toBe("to");
    expect(field({ to: "+1", text: "a", smsc: "x" })).toBe("smsc");
    expect(field({ to: "+1", text: "a", mr: 256 })).toBe("mr");
    expect(field({ to: "+1", text: "a", mr: 1.5 })).toBe("mr");
    expect(field({ to: "+1", text: "a", pid: -1 })).toBe("pid");
    expect(field({ to: "+1", text: "a", messageClass: 4 as 0 })).toBe("messageClass");
    expect(field({ to: "+1", text: "a".repeat(161) })).toBe("concatRef");
    expect(field({ to: "+1", text: "a".repeat(161), concatRef: 256 })).toBe("concatRef");
    expect(field({ to: "+1", text: "a".repeat(161), concatRef: 65535, concatRef16: true })).toBe("no error");
    expect(field({ to: "+1", text: "ç", coding: "gsm7" })).toBe("text");
    expect(field({ to: "+1", text: "a", data: Uint8Array.of(1) })).toBe("data");
    expect(field({ to: "+1", text: "a", validity: { format: "relative", seconds: 0 } })).toBe("validity");
  });

  it("refuses a message needing more than 255 parts", () => {
    expect(field({ to: "+1", text: "a".repeat(153 * 255 + 1), concatRef: 1 })).toBe("text");
    expect(field({ to: "+1", text: "ç".repeat(67 * 255 + 1), concatRef: 1 })).toBe("text");
  });
});
