import { describe, expect, it } from "vitest";
import { resolveProfile } from "../../drivers/index.js";
import { parseCpsi, simcomSim7600 } from "../../drivers/simcom-sim7600.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { replay, untilDone } from "./helpers/replay.js";

const SR = "0006D60B911326880736F4111011719551401110117195714000";

describe("SIM7600: pure helpers", () => {
  it.each([
    // The manual's own sample: RSRP in tenths of a dB.
    [
      "+CPSI: LTE,Online,404-45,0x21F9,322642,453,EUTRAN-BAND40,39275,4,4,-168,-1126,-773,7",
      { dbm: -113, measure: "rsrp" },
    ],
    // Firmware that prints whole dB.
    [
      "+CPSI: LTE,Online,208-01,0x1A2B,26853121,211,EUTRAN-BAND20,6300,3,3,-9,-98,-67,12",
      { dbm: -98, measure: "rsrp" },
    ],
    ["+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42", { dbm: -64, measure: "rssi" }],
    ["+CPSI: NO SERVICE,Online", null],
    ["+CPSI: WCDMA,Online,001-01,0xFFFF,0,WCDMA IMT 2000,10700,0,0,29,-95,0,33", null],
  ])("%s", (line, want) => {
    expect(parseCpsi([line])).toEqual(want);
  });

  it("resolves by USB id 1e0e:9001 and by +CGMM", () => {
    expect(resolveProfile({ usb: { vendorId: "1E0E", productId: "9001" } })).toBe(simcomSim7600);
    expect(resolveProfile({ manufacturer: "SIMCOM INCORPORATED", model: "SIMCOM_SIM7600E-H" })).toBe(
      simcomSim7600,
    );
    expect(simcomSim7600.usb[0]?.atInterface).toBe(2);
  });
});

describe("SIM7600: transcript replays (exact bytes)", () => {
  it("init selects ME storage, +CDSI into SR, and sweeps both", async () => {
    const { port, modem } = replay("simcom-sim7600", "init");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    expect(modem.identity?.iccid).toBe("89330123456789012345");
    await modem.stop();
  });

  it("+CDSI: read from SR, delete after commit, restore ME", async () => {
    const { port, modem } = replay("simcom-sim7600", "receive-cdsi");
    const got: IncomingPdu[] = [];
    modem.onIncoming(async (p) => {
      got.push(p);
    });
    await modem.start();
    port.trigger("report");
    await untilDone(port);
    expect(got).toEqual([
      { kind: "status-report", pdu: SR, source: { via: "storage", storage: "SR", index: 0 } },
    ]);
    await modem.stop();
  });

  it("start-up sweep hands over a stored SMS and a stored status report, deleting each after commit", async () => {
    const { port, modem } = replay("simcom-sim7600", "sweep-sr");
    const got: IncomingPdu[] = [];
    modem.onIncoming(async (p) => {
      got.push(p);
    });
    await modem.start();
    await untilDone(port);
    expect(got.map((p) => [p.kind, p.source])).toEqual([
      ["deliver", { via: "storage", storage: "ME", index: 0 }],
      ["status-report", { via: "storage", storage: "SR", index: 2 }],
    ]);
    expect(got[1]?.pdu).toBe(SR);
    await modem.stop();
  });

  it("health reads LTE RSRP from AT+CPSI? instead of +CSQ", async () => {
    const { port, modem } = replay("simcom-sim7600", "health");
    modem.onIncoming(async () => {});
    await modem.start();
    const h = await modem.refreshHealth();
    await untilDone(port);
    expect(h).toMatchObject({
      state: "ready",
      signalDbm: -113,
      registration: "home",
      operator: "Orange F",
      storage: { used: 2, total: 255 },
    });
    await modem.stop();
  });
});
