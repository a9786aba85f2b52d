import { describe, expect, it } from "vitest";
import { PduEncodeError } from "../../../src/pdu/errors.js";
import { fromHex, toHex } from "../../../src/pdu/hex.js";
import { decodePdu, encodeSubmit, relativeOctet, relativeSeconds } from "../../../src/pdu/index.js";
import { Reader } from "../../../src/pdu/reader.js";
import { readValidity, writeValidity } from "../../../src/pdu/validity.js";

const MIN = 60;
const H = 3600;
const D = 86400;

describe("relative validity (23.040 §9.2.3.12.1)", () => {
  it("maps each range boundary", () => {
    expect(relativeOctet(5 * MIN)).toBe(0);
    expect(relativeOctet(12 * H)).toBe(143);
    expect(relativeOctet(12 * H + 30 * MIN)).toBe(144);
    expect(relativeOctet(24 * H)).toBe(167);
    expect(relativeOctet(2 * D)).toBe(168);
    expect(relativeOctet(30 * D)).toBe(196);
    expect(relativeOctet(5 * 7 * D)).toBe(197);
    expect(relativeOctet(63 * 7 * D)).toBe(255);
  });

  it("rounds up to the next representable value", () => {
    expect(relativeOctet(1)).toBe(0);
    expect(relativeOctet(5 * MIN + 1)).toBe(1);
    expect(relativeOctet(12 * H + 1)).toBe(144);
    expect(relativeOctet(24 * H + 1)).toBe(168);
    expect(relativeOctet(30 * D + 1)).toBe(197);
    expect(relativeSeconds(relativeOctet(100 * MIN))).toBeGreaterThanOrEqual(100 * MIN);
  });

  it("clamps at 63 weeks and rejects ≤ 0", () => {
    expect(relativeOctet(10 * 365 * D)).toBe(255);
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => relativeOctet(bad)).toThrow(PduEncodeError);
    }
  });

  it("is the inverse of relativeSeconds on every octet", () => {
    for (let vp = 0; vp < 256; vp++) expect(relativeOctet(relativeSeconds(vp))).toBe(vp);
  });
});

describe("validity period in SMS-SUBMIT", () => {
  it("validity period yields a well-formed PDU", () => {
    for (const validity of [
      { format: "relative", seconds: 4 * D },
      { format: "absolute", date: new Date("2026-12-01T00:00:00Z"), offsetMinutes: 60 },
      { format: "enhanced", seconds: 90 },
    ] as const) {
      const e = encodeSubmit({ to: "+46708251358", text: "hellohello", validity });
      const part = e.parts[0]!;
      expect(part.pdu.length / 2 - 1).toBe(part.tpduLength);
      const d = decodePdu(part.pdu);
      expect(d.type).toBe("submit");
      if (d.type !== "submit") return;
      expect(d.text).toBe("hellohello");
      expect(d.validity?.format).toBe(validity.format);
    }
  });

  it("sets TP-VPF bits 4–3 to 10 (relative), 11 (absolute), 01 (enhanced)", () => {
    const fo = (v: Parameters<typeof encodeSubmit>[0]["validity"]) =>
      Number.parseInt(encodeSubmit({ to: "1", text: "a", validity: v }).parts[0]!.pdu.slice(2, 4), 16);
    expect((fo({ format: "relative", seconds: 60 }) >> 3) & 3).toBe(2);
    expect((fo({ format: "absolute", date: new Date(), offsetMinutes: 0 }) >> 3) & 3).toBe(3);
    expect((fo({ format: "enhanced", seconds: 60 }) >> 3) & 3).toBe(1);
    expect((fo(undefined) >> 3) & 3).toBe(0);
  });
});

describe("enhanced validity (§9.2.3.12.3)", () => {
  const roundTrip = (seconds: number) => {
    const out = new Uint8Array(7);
    writeValidity({ format: "enhanced", seconds }, out, 0);
    return { hex: toHex(out), back: readValidity(new Reader(out), 1, "tpdu.vp") };
  };

  it("uses the integer-seconds form up to 255 s", () => {
    expect(roundTrip(200)).toEqual({ hex: "02C80000000000", back: { format: "enhanced", seconds: 200 } });
  });

  it("uses the HH:MM:SS semi-octet form below 100 hours", () => {
    expect(roundTrip(2 * H + 3 * MIN + 4)).toEqual({
      hex: "03203040000000",
      back: { format: "enhanced", seconds: 2 * H + 3 * MIN + 4 },
    });
  });

  it("falls back to the relative octet form beyond that", () => {
    expect(roundTrip(10 * D).hex).toBe(`01${(166 + 10).toString(16).toUpperCase()}0000000000`);
  });

  it("rejects a reserved functionality indicator", () => {
    expect(() => readValidity(new Reader(fromHex("07000000000000")), 1, "tpdu.vp")).toThrow(/reserved/);
  });
});
