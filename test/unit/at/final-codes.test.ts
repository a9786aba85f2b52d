import { describe, expect, it } from "vitest";
import { CME_ERRORS, CMS_ERRORS, cmeCodeFromText, cmsCodeFromText } from "../../../src/at/error-codes.js";
import { classifyFinal, describeFinal } from "../../../src/at/final-codes.js";

describe("classifyFinal", () => {
  it.each([
    ["OK", { kind: "ok" }],
    ["ERROR", { kind: "error" }],
    ["+CME ERROR: 11", { kind: "cme", code: 11, text: "11" }],
    ["+CME ERROR: SIM PIN required", { kind: "cme", code: 11, text: "SIM PIN required" }],
    ["+CME ERROR: SIM not inserted", { kind: "cme", code: 10, text: "SIM not inserted" }],
    ["+CME ERROR: SIM PUK required", { kind: "cme", code: 12, text: "SIM PUK required" }],
    ["+CME ERROR: SIM failure", { kind: "cme", code: 13, text: "SIM failure" }],
    ["+CME ERROR: SIM busy", { kind: "cme", code: 14, text: "SIM busy" }],
    ["+CME ERROR: incorrect password", { kind: "cme", code: 16, text: "incorrect password" }],
    ["+CME ERROR: SIM PIN2 required", { kind: "cme", code: 17, text: "SIM PIN2 required" }],
    ["+CME ERROR: SIM PUK2 required", { kind: "cme", code: 18, text: "SIM PUK2 required" }],
    ["+CME ERROR: no network service", { kind: "cme", code: 30, text: "no network service" }],
    ["+CME ERROR: (U)SIM PIN required", { kind: "cme", code: 11, text: "(U)SIM PIN required" }],
    ["+CME ERROR: Sim Busy.", { kind: "cme", code: 14, text: "Sim Busy." }],
    ["+CME ERROR:42", { kind: "cme", code: 42, text: "42" }],
    ["+cme error: 10", { kind: "cme", code: 10, text: "10" }],
    ["+CME ERROR: frobnicator jammed", { kind: "cme", code: -1, text: "frobnicator jammed" }],
    ["+CMS ERROR: 500", { kind: "cms", code: 500, text: "500" }],
    ["+CMS ERROR: 204", { kind: "cms", code: 204, text: "204" }],
    ["+CMS ERROR: SMSC address unknown", { kind: "cms", code: 330, text: "SMSC address unknown" }],
    ["+CMS ERROR: invalid memory index", { kind: "cms", code: 321, text: "invalid memory index" }],
    ["+CMS ERROR: (U)SIM not inserted", { kind: "cms", code: 310, text: "(U)SIM not inserted" }],
    ["+CMS ERROR: Unknown error", { kind: "cms", code: 500, text: "Unknown error" }],
    ["NO CARRIER", { kind: "other", text: "NO CARRIER" }],
    ["NO DIALTONE", { kind: "other", text: "NO DIALTONE" }],
    ["BUSY", { kind: "other", text: "BUSY" }],
    ["NO ANSWER", { kind: "other", text: "NO ANSWER" }],
    ["CONNECT", { kind: "other", text: "CONNECT" }],
    ["CONNECT 115200", { kind: "other", text: "CONNECT 115200" }],
    ["CONNECT: 57600", { kind: "other", text: "CONNECT: 57600" }],
  ])("%s", (line, want) => {
    expect(classifyFinal(line)).toEqual(want);
  });

  it.each(["+CSQ: 20,99", "OKAY", "CONNECTED", "RING", "+CMGS: 5", "ERRORS", ""])(
    "%s is not final",
    (line) => {
      expect(classifyFinal(line)).toBeNull();
    },
  );

  it("describes finals the way the modem printed them", () => {
    expect(describeFinal({ kind: "cms", code: 500, text: "500" })).toBe("+CMS ERROR: 500");
    expect(describeFinal({ kind: "ok" })).toBe("OK");
  });
});

describe("error-code tables", () => {
  it("maps every CME and CMS table text back to its own code", () => {
    for (const [code, text] of CME_ERRORS) expect(cmeCodeFromText(text), text).toBe(code);
    for (const [code, text] of CMS_ERRORS) expect(cmsCodeFromText(text), text).toBe(code);
  });
});
