import { describe, expect, it } from "vitest";
import { classifyCms, isNotReadyCms, knownCmsCodes } from "../../../src/modem/cms-errors.js";

describe("+CMS ERROR classification (27.005 §3.2.5, 24.011 E-2, 23.040 §9.2.3.22)", () => {
  it.each([
    [1, "permanent"], // unassigned number
    [8, "permanent"], // operator determined barring
    [10, "permanent"],
    [21, "permanent"], // short message transfer rejected
    [27, "retry-later"], // destination out of order
    [28, "modem-fault"], // our subscriber unknown to the VLR
    [38, "retry-later"], // network out of order
    [41, "retry-later"],
    [42, "retry-later"],
    [47, "retry-later"],
    [50, "modem-fault"], // SIM without SMS subscription
    [69, "permanent"],
    [96, "permanent"],
    [97, "permanent"],
    [98, "permanent"],
    [99, "permanent"],
    [111, "permanent"],
    [192, "retry-later"], // SC busy
    [195, "permanent"], // invalid SME address
    [197, "permanent"], // duplicate: never resend
    [300, "modem-fault"],
    [301, "retry-later"],
    [302, "retry-later"], // before SMS ready
    [304, "permanent"], // our PDU is wrong
    [310, "modem-fault"],
    [311, "modem-fault"],
    [314, "retry-later"], // SIM busy: a wait, not a fault
    [316, "modem-fault"],
    [318, "modem-fault"],
    [322, "modem-fault"], // memory full
    [330, "modem-fault"], // SMSC address unknown
    [331, "retry-later"], // no network service
    [332, "retry-later"], // network timeout (a final answer: not sent)
    [500, "retry-later"],
    [513, "retry-later"],
  ] as const)("%i → %s", (code, category) => {
    const c = classifyCms(code);
    expect(c.category).toBe(category);
    expect(c.code).toBe(code);
    expect(c.text.length).toBeGreaterThan(3);
  });

  it("unlisted codes fall into their range's default", () => {
    expect(classifyCms(55)).toMatchObject({ category: "retry-later", text: "Network cause 55" });
    expect(classifyCms(240).category).toBe("retry-later");
    expect(classifyCms(399).category).toBe("modem-fault");
    expect(classifyCms(600).category).toBe("retry-later");
  });

  it("every listed code has a non-empty text and a valid category", () => {
    for (const code of knownCmsCodes()) {
      const c = classifyCms(code);
      expect(["retry-later", "permanent", "modem-fault"]).toContain(c.category);
      expect(c.text).not.toMatch(/^(Network cause|ME error|Manufacturer-specific)/);
    }
  });

  it("not-ready codes are the boot-time ones", () => {
    expect([302, 500, 314].every(isNotReadyCms)).toBe(true);
    expect(isNotReadyCms(304)).toBe(false);
    expect(isNotReadyCms(21)).toBe(false);
  });
});
