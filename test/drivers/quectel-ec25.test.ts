import { describe, expect, it } from "vitest";
import { resolveProfile } from "../../drivers/index.js";
import { parseQcsq, parseQpinc, quectelEc25 } from "../../drivers/quectel-ec25.js";
import { replay, untilDone } from "./helpers/replay.js";

describe("EC25: pure helpers", () => {
  it.each([
    ['+QCSQ: "LTE",-66,-94,142,-9', { dbm: -94, measure: "rsrp" }],
    ['+QCSQ: "LTE",85,-124,55,-18', { dbm: -124, measure: "rsrp" }],
    ['+QCSQ: "GSM",-71', { dbm: -71, measure: "rssi" }],
    ['+QCSQ: "WCDMA",-69,-73,-4', { dbm: -69, measure: "rssi" }],
    ['+QCSQ: "NOSERVICE"', null],
  ])("%s", (line, want) => {
    expect(parseQcsq([line])).toEqual(want);
  });

  it("+QPINC: the SC facility line gives PIN and PUK counters", () => {
    expect(parseQpinc(['+QPINC: "SC",3,10', '+QPINC: "P2",3,10'])).toEqual({ pin: 3, puk: 10 });
    expect(parseQpinc(['+QPINC: "P2",3,10', '+QPINC: "SC",0,9'])).toEqual({ pin: 0, puk: 9 });
    expect(parseQpinc(['+QPINC: "P2",3,10'])).toBeNull();
  });

  it("resolves by USB id 2c7c:0125 (EC25/EG25-G) and by +CGMI/+CGMM", () => {
    expect(resolveProfile({ usb: { vendorId: "2c7c", productId: "0125" } })).toBe(quectelEc25);
    expect(resolveProfile({ manufacturer: "Quectel", model: "EG25" })).toBe(quectelEc25);
  });
});

describe("EC25: transcript replays (exact bytes)", () => {
  it("init waits for +QIND: SMS DONE after +CMS ERROR: 500", async () => {
    const { port, modem } = replay("quectel-ec25", "init");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    await modem.stop();
  });

  it("regression: one PIN attempt left → the configured PIN is not entered (no PUK lock-out)", async () => {
    const { port, modem } = replay("quectel-ec25", "pin-last-attempt", { pin: "1234" });
    expect(await modem.start()).toBe("pin-required");
    await untilDone(port);
    expect(port.written).not.toContain("AT+CPIN=");
    expect(modem.health().lastError).toMatch(/1 PIN attempt/);
    await modem.stop();
  });

  it("health uses AT+QCSQ RSRP and reports roaming", async () => {
    const { port, modem } = replay("quectel-ec25", "health");
    modem.onIncoming(async () => {});
    await modem.start();
    const h = await modem.refreshHealth();
    await untilDone(port);
    expect(h).toMatchObject({ signalDbm: -94, registration: "roaming", operator: "Orange F" });
    await modem.stop();
  });
});
