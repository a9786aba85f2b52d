import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, segmentPreview } from "../../../src/pdu/index.js";

const parts = (text: string, extra: Partial<Parameters<typeof encodeSubmit>[0]> = {}) =>
  encodeSubmit({ to: "+33612345678", text, concatRef: 42, ...extra }).parts;

describe("part limits (23.040 §9.2.3.24.1)", () => {
  it("160 septets fit in one part, 161 need two of ≤153", () => {
    expect(parts("a".repeat(160))).toHaveLength(1);
    const p = parts("a".repeat(161));
    expect(p.map((x) => x.text!.length)).toEqual([153, 8]);
  });

  it("splits at 153/67 not 133/63", () => {
    expect(parts("a".repeat(306)).map((x) => x.text!.length)).toEqual([153, 153]);
    expect(parts("ç".repeat(134)).map((x) => x.text!.length)).toEqual([67, 67]);
    expect(parts("ç".repeat(70))).toHaveLength(1);
  });

  it("a 16-bit reference shrinks parts to 152 septets / 66 units", () => {
    expect(parts("a".repeat(304), { concatRef16: true }).map((x) => x.text!.length)).toEqual([152, 152]);
    expect(parts("ç".repeat(132), { concatRef16: true }).map((x) => x.text!.length)).toEqual([66, 66]);
  });

  it("extension characters never push a part past 160 septets", () => {
    const p = parts("€".repeat(80));
    expect(p).toHaveLength(1);
    const q = parts("€".repeat(81));
    expect(q).toHaveLength(2);
    // 76 pairs = 152 septets: a 77th pair would need septets 153–154.
    expect(q[0]!.text).toBe("€".repeat(76));
    for (const part of q) {
      const d = decodePdu(part.pdu);
      expect(d.text).toBe(part.text);
    }
  });

  it("an escape pair is never split between parts", () => {
    const text = `${"a".repeat(152)}€${"b".repeat(10)}`;
    const p = parts(text);
    expect(p.map((x) => x.text)).toEqual(["a".repeat(152), `€${"b".repeat(10)}`]);
  });

  it("a surrogate pair is never split between parts", () => {
    const text = `${"ç".repeat(66)}😀xxxxx`;
    const p = parts(text);
    expect(p.map((x) => x.text)).toEqual(["ç".repeat(66), "😀xxxxx"]);
    expect(p.map((x) => decodePdu(x.pdu).text).join("")).toBe(text);
  });

  it("parts carry seq/total and one reference", () => {
    const p = parts("a".repeat(400));
    expect(p.map((x) => [x.seq, x.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(p.map((x) => decodePdu(x.pdu).concat?.ref)).toEqual([42, 42, 42]);
  });
});

describe("segmentPreview", () => {
  it("reports coding, parts, units and room left", () => {
    expect(segmentPreview("Hello")).toEqual({
      coding: "gsm7",
      parts: 1,
      units: 5,
      remainingInLastPart: 155,
      perPart: 160,
      ucs2Forcers: [],
      text: "Hello",
    });
    const p = segmentPreview("a".repeat(200));
    expect([p.parts, p.perPart, p.remainingInLastPart]).toEqual([2, 153, 106]);
  });

  it("counts extension characters as two septets", () => {
    expect(segmentPreview("{}").units).toBe(4);
  });

  it("lists the distinct characters that forced UCS-2, whole emoji included", () => {
    const p = segmentPreview("ça 😀 ça ê");
    expect(p.coding).toBe("ucs2");
    expect(p.ucs2Forcers).toEqual(["ç", "😀", "ê"]);
    expect(p.units).toBe(10);
    expect(p.perPart).toBe(70);
  });

  it("appends the footer after a line feed before counting", () => {
    const p = segmentPreview("a".repeat(150), { footer: "STOP 36180" });
    expect(p.text).toBe(`${"a".repeat(150)}\nSTOP 36180`);
    expect(p.units).toBe(161);
    expect(p.parts).toBe(2);
  });

  it("reports the smart-replaced text", () => {
    expect(segmentPreview("l’été…", { smart: true }).text).toBe("l'été...");
    expect(segmentPreview("l’été…").coding).toBe("ucs2");
  });

  it("forced UCS-2 has no forcers", () => {
    const p = segmentPreview("abc", { coding: "ucs2" });
    expect([p.coding, p.units, p.ucs2Forcers.length]).toEqual(["ucs2", 3, 0]);
  });
});
