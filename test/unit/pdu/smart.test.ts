import { describe, expect, it } from "vitest";
import { decodePdu, encodeSubmit, smartReplace } from "../../../src/pdu/index.js";

describe("smart replacement", () => {
  it("replaces curly quotes, guillemets, dashes, ellipsis, bullets and special spaces", () => {
    expect(smartReplace("‘a’ ‚b‛ “c” „d” «e» f–g—h … • x\u00a0y\u202fz\u2009w ‐‑")).toBe(
      '\'a\' \'b\' "c" "d" "e" f-g-h ... - x y z w --',
    );
  });

  it("removes zero-width characters and the soft hyphen", () => {
    expect(smartReplace("a\u200bb\u200cc\u200dd\ufeffe\u00adf")).toBe("abcdef");
  });

  it("keeps the text untouched when it needs UCS-2 anyway", () => {
    expect(smartReplace("C’est l’été 😀")).toBe("C’est l’été 😀");
    expect(smartReplace("Ça va’")).toBe("Ça va'");
    expect(smartReplace("ça va’")).toBe("ça va’");
  });

  it("never alters French accents ê ç â ô û œ", () => {
    const french = "Fête, garçon, pâté, hôtel, sûr, œuvre’";
    expect(smartReplace(french)).toBe(french);
    const e = encodeSubmit({ to: "+33612345678", text: french, smart: true });
    expect(e.coding).toBe("ucs2");
    expect(e.text).toBe(french);
  });

  it("turns a typographic message into GSM-7 when smart is on, and only then", () => {
    const text = "Rendez-vous “demain” à 9h – merci…";
    expect(encodeSubmit({ to: "+33612345678", text }).coding).toBe("ucs2");
    const e = encodeSubmit({ to: "+33612345678", text, smart: true });
    expect(e.coding).toBe("gsm7");
    expect(e.text).toBe('Rendez-vous "demain" à 9h - merci...');
    expect(decodePdu(e.parts[0]!.pdu).text).toBe(e.text);
  });

  it("returns the same string when nothing needs replacing", () => {
    const s = "plain text";
    expect(smartReplace(s)).toBe(s);
  });

  it("counts the national language tables when deciding", () => {
    expect(smartReplace("Ağaç’")).toBe("Ağaç’");
    expect(smartReplace("Ağaç’", { single: "turkish" })).toBe("Ağaç'");
  });
});
