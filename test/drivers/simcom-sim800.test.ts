import { describe, expect, it } from "vitest";
import { resolveProfile } from "../../drivers/index.js";
import { parseSpic, simcomSim800 } from "../../drivers/simcom-sim800.js";
import { PinMemory } from "../../src/modem/sim-card.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { replay, untilDone } from "./helpers/replay.js";

const DELIVER = "07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07";
const SR = "0006D60B911326880736F4111011719551401110117195714000";
const SUBMIT = "0011000B916407281553F80000AA0AE8329BFD4697D9EC37";

describe("SIM800: pure helpers", () => {
  it("+SPIC: PIN1, PUK1, PIN2, PUK2 (oFono at_spic_cb order)", () => {
    expect(parseSpic(["+SPIC: 3,10,3,10"])).toEqual({ pin: 3, puk: 10 });
    expect(parseSpic(["+SPIC: 1,10,0,10"])).toEqual({ pin: 1, puk: 10 });
    expect(parseSpic(["+SPIC: 2"])).toEqual({ pin: 2, puk: null });
    expect(parseSpic(["+SPIC: x"])).toBeNull();
    expect(parseSpic(["OK"])).toBeNull();
  });

  it("matches on the +CGMI/+CGMM strings the module prints", () => {
    expect(resolveProfile({ manufacturer: "SIMCOM_Ltd", model: "SIMCOM_SIM800L" })).toBe(simcomSim800);
    expect(resolveProfile({ manufacturer: "SIMCOM_Ltd", model: "SIMCOM_SIM900" })).toBe(simcomSim800);
  });
});

describe("SIM800: transcript replays (exact bytes)", () => {
  it("init waits for 'SMS Ready' after +CMS ERROR: 302, then sets phase 2+ and direct delivery", async () => {
    const { port, modem } = replay("simcom-sim800", "init");
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    expect(modem.profile.id).toBe("simcom-sim800");
    expect(modem.smsSetup).toMatchObject({ cnmaActive: true, cnmi: { command: "AT+CNMI=2,2,0,1,0" } });
    await modem.stop();
  });

  it("enters the configured PIN once after reading the counter", async () => {
    const { port, modem } = replay("simcom-sim800", "pin", { pin: "1234" });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await untilDone(port);
    await modem.stop();
  });

  it("wrong PIN: stops at pin-required and remembers the rejection for the next Modem on this SIM", async () => {
    const memory = new PinMemory();
    const first = replay("simcom-sim800", "pin-wrong", { pin: "1234", pinMemory: memory });
    expect(await first.modem.start()).toBe("pin-required");
    await untilDone(first.port);
    expect(first.modem.health().lastError).toMatch(/rejected/);
    expect(JSON.stringify(first.modem.health())).not.toContain("1234");
    await first.modem.stop();
    // Same SIM, new Modem object (recreated by the supervisor): no AT+CPIN= at all this time.
    const again = replay("simcom-sim800", "pin-after-rejection", { pin: "1234", pinMemory: memory });
    expect(await again.modem.start()).toBe("pin-required");
    await untilDone(again.port);
    expect(again.port.written).not.toContain("AT+CPIN=");
    await again.modem.stop();
  });

  it("+CMT is acknowledged with AT+CNMA only after the handler resolved", async () => {
    const { port, modem } = replay("simcom-sim800", "receive-cmt");
    const got: IncomingPdu[] = [];
    let release!: () => void;
    modem.onIncoming(async (p) => {
      got.push(p);
      await new Promise<void>((r) => (release = r));
    });
    await modem.start();
    port.trigger("incoming");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ kind: "deliver", pdu: DELIVER, source: { via: "cmt" } }]);
    // Init's AT+CNMA=2 (a leftover from a previous process) is not the acknowledgement of this one.
    expect(port.written).not.toContain("AT+CNMA\r");
    release();
    await untilDone(port);
    await modem.stop();
  });

  it("+CDS status report is handed over and acknowledged", async () => {
    const { port, modem } = replay("simcom-sim800", "receive-cds");
    const got: IncomingPdu[] = [];
    modem.onIncoming(async (p) => {
      got.push(p);
    });
    await modem.start();
    port.trigger("report");
    await untilDone(port);
    expect(got).toEqual([{ kind: "status-report", pdu: SR, source: { via: "cds" } }]);
    await modem.stop();
  });

  it("send", async () => {
    const { port, modem } = replay("simcom-sim800", "send");
    modem.onIncoming(async () => {});
    await modem.start();
    expect(await modem.sendPart(SUBMIT, 23)).toEqual({ kind: "sent", mr: 7 });
    await untilDone(port);
    await modem.stop();
  });

  it("recovery ladder: no prompt → ESC, AT ping, re-init, then AT+CFUN=1,1 and a fresh init", async () => {
    const { port, modem } = replay("simcom-sim800", "recovery-cfun");
    modem.onIncoming(async () => {});
    await modem.start();
    expect(await modem.sendPart(SUBMIT, 23)).toMatchObject({ kind: "not-sent", reason: "no-prompt" });
    await untilDone(port, 5_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(modem.state).toBe("ready");
    expect(port.written).not.toContain(SUBMIT);
    await modem.stop();
  });
});
