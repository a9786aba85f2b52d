import { describe, expect, it } from "vitest";
import {
  bestRegistration,
  csqToDbm,
  parseCmglHeader,
  parseCmgrHeader,
  parseCmgs,
  parseCops,
  parseCpin,
  parseCpms,
  parseCsca,
  parseCsms,
  parseCsq,
  parseRegistration,
  parseStoredIndication,
  pduMessageType,
  splitParams,
} from "../../../src/modem/parse.js";

describe("+CSQ → dBm (27.007 §8.5)", () => {
  it.each([
    [0, -113],
    [1, -111],
    [2, -109],
    [3, -107],
    [15, -83],
    [30, -53],
    [31, -51],
    [99, null],
    [32, null],
    [-1, null],
  ])("rssi %i → %s", (rssi, dbm) => {
    expect(csqToDbm(rssi)).toBe(dbm);
  });

  it.each([
    ["+CSQ: 18,0", { dbm: -77, ber: 0 }],
    ["+CSQ: 21,99", { dbm: -71, ber: null }],
    ["+CSQ: 99,99", { dbm: null, ber: null }],
    ["+CSQ:31,7", { dbm: -51, ber: 7 }],
  ])("%s", (line, want) => {
    expect(parseCsq(line)).toEqual(want);
  });

  it("rejects lines that are not +CSQ or have no number", () => {
    expect(parseCsq("+CREG: 0,1")).toBeNull();
    expect(parseCsq("+CSQ: ,")).toBeNull();
  });
});

describe("registration (27.007 §7.2, §10.1.20, §10.1.22)", () => {
  it.each([
    [
      "+CREG: 0,1",
      "solicited",
      { kind: "CREG", n: 0, stat: 1, registration: "home", lac: null, ci: null, act: null },
    ],
    [
      '+CREG: 2,5,"00C3","0000D2F1",0',
      "solicited",
      { kind: "CREG", n: 2, stat: 5, registration: "roaming", lac: "00C3", ci: "0000D2F1", act: 0 },
    ],
    [
      "+CREG: 1",
      "unsolicited",
      { kind: "CREG", n: null, stat: 1, registration: "home", lac: null, ci: null, act: null },
    ],
    [
      '+CREG: 5,"00C3","D2F1"',
      "unsolicited",
      { kind: "CREG", n: null, stat: 5, registration: "roaming", lac: "00C3", ci: "D2F1", act: null },
    ],
    [
      "+CGREG: 0,2",
      "solicited",
      { kind: "CGREG", n: 0, stat: 2, registration: "searching", lac: null, ci: null, act: null },
    ],
    [
      '+CEREG: 2,1,"2F1A","01A2D001",7',
      "solicited",
      { kind: "CEREG", n: 2, stat: 1, registration: "home", lac: "2F1A", ci: "01A2D001", act: 7 },
    ],
    [
      "+CEREG: 3",
      "unsolicited",
      { kind: "CEREG", n: null, stat: 3, registration: "denied", lac: null, ci: null, act: null },
    ],
  ] as const)("%s (%s)", (line, form, want) => {
    expect(parseRegistration(line, form)).toEqual(want);
  });

  it("takes a lone number in a read answer as the stat (firmware that omits <n>)", () => {
    expect(parseRegistration("+CREG: 5", "solicited")?.registration).toBe("roaming");
  });

  it.each([
    [0, "not-registered"],
    [4, "unknown"],
    [6, "home"],
    [7, "roaming"],
    [8, "unknown"],
    [9, "home"],
    [10, "roaming"],
  ])("stat %i → %s", (stat, want) => {
    expect(parseRegistration(`+CREG: 0,${stat}`, "solicited")?.registration).toBe(want);
  });

  it("best of CS/PS/EPS wins", () => {
    expect(bestRegistration(["not-registered", "roaming", "searching"])).toBe("roaming");
    expect(bestRegistration(["denied", "home"])).toBe("home");
    expect(bestRegistration([])).toBe("unknown");
  });
});

describe("other information lines", () => {
  it("+COPS (27.007 §7.3)", () => {
    expect(parseCops('+COPS: 0,0,"Orange F",7')).toEqual({
      mode: 0,
      format: 0,
      operator: "Orange F",
      act: 7,
    });
    expect(parseCops("+COPS: 0")).toEqual({ mode: 0, format: null, operator: null, act: null });
    expect(parseCops('+COPS: 0,0,"A,B",2')?.operator).toBe("A,B");
  });

  it("+CPMS read and set forms (27.005 §3.2.2)", () => {
    expect(parseCpms('+CPMS: "SM",3,30,"SM",3,30,"SR",1,100')).toEqual([
      { mem: "SM", used: 3, total: 30 },
      { mem: "SM", used: 3, total: 30 },
      { mem: "SR", used: 1, total: 100 },
    ]);
    expect(parseCpms("+CPMS: 0,50,0,50,0,50")).toEqual([
      { mem: null, used: 0, total: 50 },
      { mem: null, used: 0, total: 50 },
      { mem: null, used: 0, total: 50 },
    ]);
    expect(parseCpms('+CPMS: "SM",x,30')).toBeNull();
  });

  it("+CMGL/+CMGR PDU-mode headers (27.005 §3.4.2, §3.4.3)", () => {
    expect(parseCmglHeader("+CMGL: 3,1,,24")).toEqual({ index: 3, stat: 1, length: 24 });
    expect(parseCmglHeader('+CMGL: 0,0,"Alice",31')).toEqual({ index: 0, stat: 0, length: 31 });
    expect(parseCmglHeader("+CMGL: 3")).toBeNull();
    expect(parseCmgrHeader("+CMGR: 0,,24")).toEqual({ stat: 0, length: 24 });
    expect(parseCmgrHeader('+CMGR: 1,"",153')).toEqual({ stat: 1, length: 153 });
  });

  it("+CPIN (27.007 §8.3)", () => {
    expect(parseCpin("+CPIN: READY")).toBe("READY");
    expect(parseCpin("+CPIN: SIM PIN")).toBe("SIM PIN");
    expect(parseCpin('+CPIN: "SIM PUK"')).toBe("SIM PUK");
    expect(parseCpin("+CPIN:")).toBeNull();
  });

  it("+CSCA (27.005 §3.3.1)", () => {
    expect(parseCsca('+CSCA: "+447802000332",145')).toEqual({ address: "+447802000332", type: 145 });
    expect(parseCsca('+CSCA: "",129')).toBeNull();
  });

  it("+CMTI/+CDSI (27.005 §3.4.1)", () => {
    expect(parseStoredIndication('+CMTI: "SM",3')).toEqual({ kind: "CMTI", storage: "SM", index: 3 });
    expect(parseStoredIndication('+CDSI: "SR",0')).toEqual({ kind: "CDSI", storage: "SR", index: 0 });
    expect(parseStoredIndication('+CMTI: "SM"')).toBeNull();
  });

  it("+CMGS <mr> is 0..255 (23.040 TP-MR)", () => {
    expect(parseCmgs("+CMGS: 7")).toBe(7);
    expect(parseCmgs('+CMGS: 255,"26/11/20,10:00:00+04"')).toBe(255);
    expect(parseCmgs("+CMGS: 256")).toBeNull();
  });

  it("+CSMS set and read forms (27.005 §3.2.1)", () => {
    expect(parseCsms("+CSMS: 1,1,1")).toEqual({ mt: true, mo: true, bm: true });
    expect(parseCsms("+CSMS: 1,0,1,1")).toEqual({ mt: false, mo: true, bm: true });
    expect(parseCsms("+CSMS: 1")).toBeNull();
  });

  it("splits on commas outside quotes", () => {
    expect(splitParams('1,"a,b", 3')).toEqual([
      { value: "1", quoted: false },
      { value: "a,b", quoted: true },
      { value: "3", quoted: false },
    ]);
  });

  it("TP-MTI after the SMSC field (23.040 §9.2.3.1)", () => {
    // dreamfabric.com SMS-DELIVER example, SMSC +31624000000.
    expect(
      pduMessageType("07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07"),
    ).toBe("deliver");
    expect(pduMessageType("0006D60B911326880736F4111011719551401110117195714000")).toBe("status-report");
    expect(pduMessageType("0001000B911326880736F40000A90161")).toBe("submit");
    expect(pduMessageType("07911326")).toBeNull();
    expect(pduMessageType("zz")).toBeNull();
  });
});
