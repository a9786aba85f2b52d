import { describe, expect, it } from "vitest";
import { decodeSeptets, encodeSeptets, encodeTable } from "../../../src/pdu/gsm7.js";
import { decodePdu, encodeSubmit, segmentPreview } from "../../../src/pdu/index.js";

// Tables of 3GPP TS 23.038 Annex A: A.2.1/A.3.1 Turkish, A.2.2 Spanish, A.2.3/A.3.3 Portuguese.
describe("national language locking shift tables (23.038 A.3)", () => {
  it("Turkish locking table replaces exactly eight default positions", () => {
    const changed: Record<number, string> = {};
    for (let i = 0; i < 128; i++) {
      if (i === 0x1b) continue;
      const d = decodeSeptets(Uint8Array.of(i), 0, 0);
      const t = decodeSeptets(Uint8Array.of(i), 1, 0);
      if (d !== t) changed[i] = t;
    }
    expect(changed).toEqual({
      4: "€",
      7: "ı",
      11: "Ğ",
      12: "ğ",
      28: "Ş",
      29: "ş",
      64: "İ",
      96: "ç",
    });
  });

  it("Portuguese locking table has the A.3.3 letters at their positions", () => {
    const p = (code: number) => decodeSeptets(Uint8Array.of(code), 3, 0);
    expect([0x04, 0x06, 0x07, 0x08, 0x09, 0x0b, 0x0c, 0x0e, 0x0f].map(p).join("")).toBe("êúíóçÔôÁá");
    expect([0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a].map(p).join("")).toBe("ªÇÀ∞^\\€Ó|");
    expect([0x1c, 0x1d, 0x1e, 0x1f, 0x24, 0x40].map(p).join("")).toBe("ÂâÊÉºÍ");
    expect([0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60].map(p).join("")).toBe("ÃÕÚÜ§~");
    expect([0x7b, 0x7c, 0x7d, 0x7e, 0x7f].map(p).join("")).toBe("ãõ`üà");
  });
});

describe("national language single shift tables (23.038 A.2)", () => {
  const ext = (lang: 0 | 1 | 2 | 3, code: number) => decodeSeptets(Uint8Array.of(0x1b, code), 0, lang);

  it("Turkish single shift adds Ğ İ Ş ç ğ ı ş and keeps the default extension characters", () => {
    expect([0x47, 0x49, 0x53, 0x63, 0x67, 0x69, 0x73].map((c) => ext(1, c)).join("")).toBe("ĞİŞçğış");
    expect(ext(1, 0x65)).toBe("€");
    expect(ext(1, 0x28)).toBe("{");
  });

  it("Spanish single shift adds ç Á Í Ó Ú á í ó ú", () => {
    expect([0x09, 0x41, 0x49, 0x4f, 0x55, 0x61, 0x69, 0x6f, 0x75].map((c) => ext(2, c)).join("")).toBe(
      "çÁÍÓÚáíóú",
    );
  });

  it("Portuguese single shift adds its letters and Greek capitals", () => {
    const codes = [0x05, 0x09, 0x0b, 0x0c, 0x0e, 0x0f, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1f];
    expect(codes.map((c) => ext(3, c)).join("")).toBe("êçÔôÁáΦΓΩΠΨΣΘÊ");
    const more = [0x41, 0x49, 0x4f, 0x55, 0x5b, 0x5c, 0x61, 0x69, 0x6f, 0x75, 0x7b, 0x7c, 0x7f];
    expect(more.map((c) => ext(3, c)).join("")).toBe("ÀÍÓÚÃÕÂíóúãõâ");
  });

  it("an undefined single shift code falls back to the locking table character", () => {
    expect(ext(2, 0x42)).toBe("B");
  });
});

describe("national language encoding choice", () => {
  it("uses no shift table unless configured, even for text one would fit", () => {
    const e = encodeSubmit({ to: "+905551234567", text: "Çağrı" });
    expect(e.coding).toBe("ucs2");
  });

  it("picks the Turkish single shift when configured and it keeps the text GSM-7", () => {
    const e = encodeSubmit({
      to: "+905551234567",
      text: "Şişli ağaç",
      nationalLanguages: { single: "turkish" },
    });
    expect(e.coding).toBe("gsm7");
    const d = decodePdu(e.parts[0]!.pdu);
    expect(d.text).toBe("Şişli ağaç");
    expect(d.udh).toEqual([{ iei: 0x24, data: "01" }]);
  });

  it("prefers the locking table when it saves septets, and counts its IE against capacity", () => {
    const text = "ğ".repeat(150);
    const e = encodeSubmit({
      to: "+905551234567",
      text,
      nationalLanguages: { single: "turkish", locking: "turkish" },
      concatRef: 1,
    });
    expect(e.coding).toBe("gsm7");
    // Locking: 1 septet per ğ, UDH 0x25 IE (4 octets with UDHL) leaves 155 septets: one part.
    expect(e.parts).toHaveLength(1);
    const d = decodePdu(e.parts[0]!.pdu);
    expect(d.udh).toEqual([{ iei: 0x25, data: "01" }]);
    expect(d.text).toBe(text);
  });

  it("per-part capacity shrinks by the national language IEs", () => {
    const p = segmentPreview("ç".repeat(10), { nationalLanguages: { single: "spanish" } });
    expect(p.coding).toBe("gsm7");
    // UDHL + 3-octet IE = 4 octets = 5 septets: 155 left.
    expect(p.perPart).toBe(155);
    expect(p.units).toBe(20);
    const long = segmentPreview("ç".repeat(100), { nationalLanguages: { single: "spanish" } });
    // With concatenation: UDHL + 5 + 3 = 9 octets → 11 septets → 149 per part.
    expect(long.perPart).toBe(149);
    expect(long.parts).toBe(2);
  });

  it("repeats the national language IE in every concatenated part", () => {
    const text = "Çok güzel bir gün, ağaçlar yeşil. ".repeat(8);
    const e = encodeSubmit({
      to: "+905551234567",
      text,
      nationalLanguages: { single: "turkish" },
      concatRef: 9,
    });
    expect(e.coding).toBe("gsm7");
    expect(e.parts.length).toBeGreaterThan(1);
    for (const p of e.parts) {
      const d = decodePdu(p.pdu);
      expect(d.udh?.map((ie) => ie.iei)).toEqual([0x00, 0x24]);
      expect(d.text).toBe(p.text);
    }
    expect(e.parts.map((p) => p.text).join("")).toBe(text);
  });

  it("round-trips Portuguese text with both tables", () => {
    const text = "Não há ações às três da manhã, Ç ê ô";
    const e = encodeSubmit({
      to: "+351912345678",
      text,
      nationalLanguages: { single: "portuguese", locking: "portuguese" },
    });
    expect(e.coding).toBe("gsm7");
    expect(decodePdu(e.parts[0]!.pdu).text).toBe(text);
  });

  it("Spanish locking is void (A.3.2): configuring it adds no locking IE", () => {
    const e = encodeSubmit({
      to: "+34600000000",
      text: "Canción",
      nationalLanguages: { locking: "spanish" },
    });
    expect(e.coding).toBe("ucs2");
  });

  it("a single shift encode table keeps the default locking letters one septet", () => {
    const s = encodeSeptets("é", encodeTable(0, 2))!;
    expect([...s]).toEqual([0x05]);
  });
});
