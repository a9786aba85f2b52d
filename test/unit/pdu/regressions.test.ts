import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, segmentPreview } from "../../../src/pdu/index.js";

// Symptoms reported against other codecs (node-pdu, chan-dongle #140, emilsedgh/pdu PR #3).
describe("regressions", () => {
  it("é à ù stay GSM-7", () => {
    const accents = "éèùìòÇØøÅåÄÖÑÜ§¿äöñüàÉÆæß";
    const text = `Déjà vu à Nîmes? Non: à Sète, où ${accents}`.replace("î", "i");
    const e = encodeSubmit({ to: "+33612345678", text });
    expect(e.coding).toBe("gsm7");
    expect(e.parts).toHaveLength(1);
    expect(decodePdu(e.parts[0]!.pdu).text).toBe(text);
  });

  it("a letter outside the alphabet (ë) forces UCS-2 and is reported", () => {
    expect(segmentPreview("Noël").ucs2Forcers).toEqual(["ë"]);
  });

  it("@ in the middle does not stop decoding and no stray @ is added at the end", () => {
    for (const text of ["aaa@bbb", "Testing", "1234567", "@", "@@@@@@@"]) {
      const e = encodeSubmit({ to: "+33612345678", text });
      expect(decodePdu(e.parts[0]!.pdu).text).toBe(text);
    }
  });

  it("7-bit concatenated parts have fill bits after the UDH", () => {
    const text = "The quick brown fox jumps over the lazy dog. ".repeat(5);
    const parts = encodeSubmit({ to: "+33612345678", text, concatRef: 200 }).parts;
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => decodePdu(p.pdu).text).join("")).toBe(text);
  });
});
