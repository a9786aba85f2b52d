import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit } from "../../../src/pdu/index.js";

const to = "+33612345678";
const HEADER = "0004 0B913316325476F8 00 00 62116201120049";

function pack(septets: number[]): string {
  let acc = 0;
  let bits = 0;
  let out = "";
  for (const s of septets) {
    acc |= s << bits;
    bits += 7;
    while (bits >= 8) {
      out += (acc & 0xff).toString(16).padStart(2, "0");
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) out += (acc & 0xff).toString(16).padStart(2, "0");
  return out;
}

const deliver = (septets: number[]) =>
  decodePdu(`${HEADER} ${septets.length.toString(16).padStart(2, "0")} ${pack(septets)}`).text;

// 23.038 §6.1.2.3.1: 8n-1 septets leave 7 spare bits; CR is used as padding there.
describe("CR padding (23.038 §6.1.2.3.1)", () => {
  it("strips a CR that a sender counted as padding on an octet boundary", () => {
    const seven = [0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37];
    expect(deliver([...seven, 0x0d])).toBe("1234567");
  });

  it("keeps a CR that does not end on an octet boundary", () => {
    expect(deliver([0x31, 0x0d])).toBe("1\r");
    expect(deliver([0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x0d])).toBe("123456\r");
  });

  it("never strips a real trailing @, wherever it falls", () => {
    for (let n = 1; n <= 17; n++) {
      const septets = [...Array(n - 1).fill(0x41), 0x00];
      expect(deliver(septets)).toBe(`${"A".repeat(n - 1)}@`);
    }
  });

  it("sends 8n-1 septets with CR in the spare bits and TP-UDL counting only the text", () => {
    const e = encodeSubmit({ to, text: "123456@" });
    const pdu = e.parts[0]!.pdu;
    expect(pdu.slice(-16, -14)).toBe("07");
    expect(Number.parseInt(pdu.slice(-2), 16) >> 1).toBe(0x0d);
    expect(decodePdu(pdu).text).toBe("123456@");
  });

  it("doubles a wanted final CR that would end on an octet boundary, and reads it back once", () => {
    const text = "1234567\r";
    const pdu = encodeSubmit({ to, text }).parts[0]!.pdu;
    // 9 septets on the wire: the text plus the second CR.
    expect(pdu.slice(-18, -16)).toBe("09");
    expect(decodePdu(pdu).text).toBe(text);
  });

  it("moves a CR ending a full middle part into the next part", () => {
    const text = `${"a".repeat(152)}\r${"b".repeat(20)}`;
    const parts = encodeSubmit({ to, text, concatRef: 1 }).parts;
    expect(parts[0]!.text).toBe("a".repeat(152));
    expect(parts.map((p) => decodePdu(p.pdu).text).join("")).toBe(text);
  });
});
