import { describe, expect, it } from "vitest";
import { classifyCms, isNotReadyCms, knownCmsCodes } from "../../../src/modem/cms-errors.js";

describe("not-ready and busy +CMS ERROR codes (27.005 §3.2.5)", () => {
  it("a SIM-busy answer (314) to AT+CMGS is retried later, not counted as a modem fault", () => {
    expect(classifyCms(314)).toEqual({ code: 314, text: "(U)SIM busy", category: "retry-later" });
  });

  it("every code that means 'not ready yet / busy' is retry-later, so it never disables a modem", () => {
    const notReady = [...knownCmsCodes(), 0, 255, 399, 512, 600].filter(isNotReadyCms);
    expect(notReady.sort((a, b) => a - b)).toEqual([302, 314, 500, 515]);
    for (const code of notReady) expect(classifyCms(code).category).toBe("retry-later");
  });
});
