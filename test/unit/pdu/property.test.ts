import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SubmitOptions } from "../../../src/pdu/index.js";
import { decodePdu, encodeSubmit, PduDecodeError } from "../../../src/pdu/index.js";

const GSM = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡AZÄÖÑÜ§¿azäöñüà";
const EXT = "€{}[]~\\|^\f";
const FRENCH = "êçâôûœÊÇÂÔÛŒ";
const TYPO = "‘’“”–—…\u00a0\u200b«»•";

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...GSM) },
  { weight: 2, arbitrary: fc.constantFrom(...EXT) },
  { weight: 1, arbitrary: fc.constantFrom(...FRENCH) },
  { weight: 1, arbitrary: fc.constantFrom(...TYPO) },
  { weight: 1, arbitrary: fc.constantFrom("😀", "👍🏽", "𝄞", "ğ", "ş", "ã") },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
);
const text = fc.string({ unit, maxLength: 500 });
const options = fc.record({
  smart: fc.boolean(),
  concatRef16: fc.boolean(),
  coding: fc.constantFrom<"auto" | "ucs2">("auto", "auto", "ucs2"),
  nationalLanguages: fc.constantFrom<SubmitOptions["nationalLanguages"]>(
    undefined,
    { single: "turkish", locking: "turkish" },
    { single: "spanish" },
    { single: "portuguese", locking: "portuguese" },
  ),
});

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
/** TPDU header octets before TP-UD for "+33612345678" without validity: fo mr da(8) pid dcs udl. */
const HEADER = 13;

describe("encode → decode properties", () => {
  it("reassembled parts give back the (smart) text", () => {
    fc.assert(
      fc.property(text, options, (t, o) => {
        const e = encodeSubmit({ to: "+33612345678", text: t, concatRef: 77, ...o });
        const decoded = e.parts.map((p) => decodePdu(p.pdu).text ?? "").join("");
        const sent = e.text ?? "";
        if (!o.smart) expect(sent).toBe(t);
        // 23.038 §6.1.2.3.1 makes "…CR CR" and "…CR" identical when the first CR ends an octet.
        const collapsed = sent.endsWith("\r\r") && decoded === sent.slice(0, -1);
        if (!collapsed) expect(decoded).toBe(sent);
      }),
      { numRuns: 500 },
    );
  });

  it("every part stays within 140 octets / 160 septets and carries its own text", () => {
    fc.assert(
      fc.property(text, options, (t, o) => {
        const e = encodeSubmit({ to: "+33612345678", text: t, concatRef: 5, ...o });
        for (const p of e.parts) {
          expect(p.tpduLength - HEADER).toBeLessThanOrEqual(140);
          const udl = Number.parseInt(p.pdu.slice(2 + 2 * (HEADER - 1), 2 + 2 * HEADER), 16);
          expect(udl).toBeLessThanOrEqual(e.coding === "gsm7" ? 160 : 140);
          const d = decodePdu(p.pdu);
          const ok = d.text === p.text || (p.text!.endsWith("\r\r") && d.text === p.text!.slice(0, -1));
          expect(ok).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("never splits a surrogate pair or an escape pair between parts", () => {
    fc.assert(
      fc.property(text, options, (t, o) => {
        const parts = encodeSubmit({ to: "+33612345678", text: t, concatRef: 5, ...o }).parts;
        for (let i = 0; i + 1 < parts.length; i++) {
          const a = parts[i]!.text!;
          const b = parts[i + 1]!.text!;
          if (a.length && b.length) {
            expect(isHigh(a.charCodeAt(a.length - 1)) && isLow(b.charCodeAt(0))).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("CR padding corner cases", () => {
  it("texts dense in CR, @ and escape pairs round-trip across part boundaries", () => {
    const crText = fc.string({ unit: fc.constantFrom("\r", "\r", "a", "€", "@"), maxLength: 480 });
    fc.assert(
      fc.property(crText, fc.boolean(), (t, ref16) => {
        const parts = encodeSubmit({ to: "+33612345678", text: t, concatRef: 3, concatRef16: ref16 }).parts;
        const decoded = parts.map((p) => decodePdu(p.pdu).text ?? "").join("");
        const collapsed = t.endsWith("\r\r") && decoded === t.slice(0, -1);
        if (!collapsed) expect(decoded).toBe(t);
        for (const p of parts) expect(p.tpduLength - HEADER).toBeLessThanOrEqual(140);
      }),
      { numRuns: 500 },
    );
  });
});

describe("decoding hostile input", () => {
  const onlyDecodeErrors = (input: Uint8Array | string, smsc: boolean) => {
    try {
      decodePdu(input, { smsc });
    } catch (e) {
      if (!(e instanceof PduDecodeError)) throw e;
    }
  };

  it("random bytes never throw anything but PduDecodeError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, smsc) =>
        onlyDecodeErrors(bytes, smsc),
      ),
      { numRuns: 1000 },
    );
  });

  it("mutated and truncated valid PDUs never throw anything but PduDecodeError", () => {
    const valid = encodeSubmit({ to: "+33612345678", text: "Hello € é 😀 world".repeat(12), concatRef: 1 })
      .parts.concat(encodeSubmit({ to: "1", text: "abc{}".repeat(40), concatRef: 2 }).parts)
      .map((p) => Uint8Array.from(Buffer.from(p.pdu, "hex")));
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.nat(),
        (pdu, edits, cut) => {
          const b = pdu.slice(0, pdu.length - (cut % 4));
          for (const [pos, v] of edits) if (b.length) b[pos % b.length] = v;
          onlyDecodeErrors(b, true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
