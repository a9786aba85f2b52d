/**
 * Bad input gets a typed error, never a crash: PDUs written by an independent encoder (Gammu),
 * then truncated, extended or corrupted, must either decode or throw PduDecodeError with a field
 * path and an offset inside the input. A RangeError, TypeError or a wrong-type result is a bug.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePdu, PduDecodeError } from "../../src/pdu/index.js";
import { hex2, int, makeLength, makeNumber, makeText, mulberry32, pick } from "./cases.js";
import { type GammuOracle, startGammu } from "./gammu.js";

let gammu: GammuOracle;
beforeAll(async () => {
  gammu = await startGammu();
});
afterAll(async () => {
  await gammu?.close();
});

function outcome(pdu: string, smsc: boolean): "ok" | "typed" | string {
  try {
    const d = decodePdu(pdu, { smsc });
    return ["deliver", "submit", "status-report"].includes(d.type) ? "ok" : `bad type ${String(d.type)}`;
  } catch (e) {
    if (!(e instanceof PduDecodeError)) return `untyped ${String(e)}`;
    const octets = pdu.length / 2;
    if (!e.field || !Number.isInteger(e.offset) || e.offset < 0 || e.offset > octets)
      return `bad error location ${e.field}@${e.offset} for ${octets} octets`;
    return "typed";
  }
}

describe("decoding damaged PDUs", () => {
  it("every truncation, extension and octet corruption of 300 Gammu PDUs decodes or fails typed", async () => {
    const rng = mulberry32(0x5eed06);
    const reqs = Array.from({ length: 150 }, (_, i) => ({
      layout: i % 2 ? ("deliver" as const) : ("submit" as const),
      number: makeNumber(rng),
      text: makeText(rng, pick(rng, ["gsm7", "gsm7-ext", "ucs2"] as const), makeLength(rng)),
      unicode: rng() < 0.4,
      ref: int(rng, 0, 255),
      scts: "2026-11-26T10:21:00",
    }));
    const pdus = (await gammu.encode(reqs))
      .flatMap((a) => (a.ok ? a.parts.map((p) => p.pdu) : []))
      .slice(0, 300);
    expect(pdus.length).toBe(300);
    const bad: string[] = [];
    let typed = 0;
    const check = (pdu: string, smsc: boolean) => {
      const o = outcome(pdu, smsc);
      if (o === "typed") typed++;
      else if (o !== "ok") bad.push(`${pdu} smsc=${smsc}: ${o}`);
    };
    for (const pdu of pdus) {
      check(pdu, true);
      for (let cut = 2; cut < pdu.length; cut += 2 * int(rng, 1, 6)) check(pdu.slice(0, cut), true);
      check(`${pdu}00`, true);
      for (let k = 0; k < 20; k++) {
        const at = int(rng, 0, pdu.length / 2 - 1);
        check(pdu.slice(0, 2 * at) + hex2(int(rng, 0, 255)) + pdu.slice(2 * at + 2), rng() < 0.8);
      }
    }
    expect(bad.slice(0, 20), `${bad.length} crashes`).toEqual([]);
    // The damage must actually reach the error paths, or this test proves nothing.
    expect(typed).toBeGreaterThan(3000);
  });
});
