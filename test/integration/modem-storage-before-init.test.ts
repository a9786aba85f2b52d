/**
 * Messages a modem stored before the gateway first selected its storages (27.005 §3.2.2 +CPMS): the
 * EC25 receives into "SM" by default and the profile moves it to "ME".
 */
import { describe, expect, it } from "vitest";
import { quectelEc25 } from "../../drivers/quectel-ec25.js";
import { simcomSim800 } from "../../drivers/simcom-sim800.js";
import { leftoverStorage } from "../../src/modem/sms-setup.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";

describe("EC25 messages that arrived before the first configuration", () => {
  it("messages sitting in SM before init are stored exactly once, deleted after, and new ones go to ME", async () => {
    const { modem, sim, commands } = simRig({ persona: "quectel", booted: true });
    sim.inject({ from: "+33699999999", text: "before the gateway, 1" });
    sim.inject({ from: "+33699999999", text: "before the gateway, 2" });
    await until(() => sim.storage.used("SM") === 2, 5_000, "two messages in SM");
    const inSm = sim.storage.list("SM", 4).map(([, m]) => m.pdu.toUpperCase());
    const got: IncomingPdu[] = [];
    let deletedBeforeCommit = false;
    modem.onIncoming(async (p) => {
      if (p.source.via === "storage" && !sim.storage.get(p.source.storage, p.source.index))
        deletedBeforeCommit = true;
      got.push(p);
    });

    expect(await modem.start()).toBe("ready");
    expect(got.map((p) => p.pdu).sort()).toEqual([...inSm].sort());
    expect(got.map((p) => p.source)).toEqual([
      { via: "storage", storage: "SM", index: 0 },
      { via: "storage", storage: "SM", index: 1 },
    ]);
    expect(deletedBeforeCommit).toBe(false);
    expect(sim.storage.used("SM")).toBe(0);
    // Received messages still go to the profile's storage.
    expect(sim.state.cpms.slice(1)).toEqual(["ME", "ME"]);
    expect(commands).toContain('AT+CPMS="SM","ME","ME"');

    await modem.sweep();
    expect(got).toHaveLength(2);
    sim.inject({ from: "+33699999999", text: "after" });
    await until(() => got.length === 3, 5_000, "+CMTI into ME");
    expect(got[2]?.source).toMatchObject({ via: "storage", storage: "ME" });
    await until(() => sim.storage.used("ME") === 0, 2_000, "AT+CMGD in ME");
    expect(got).toHaveLength(3);
    await modem.stop();
  });

  it("a modem refusing the leftover as <mem1> still gets the profile's storages, not the SIM fallback", async () => {
    const { modem, sim, commands } = simRig({ persona: "quectel", booted: true });
    sim.inject({ from: "+33699999999", text: "before the gateway" });
    await until(() => sim.storage.used("SM") === 1, 5_000, "a message in SM");
    sim.defineBehavior({
      onCommand: (s, line) => {
        if (line !== 'AT+CPMS="SM","ME","ME"') return false;
        s.writeFinal({ kind: "cms", code: 302 });
        return true;
      },
    });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    expect(commands).toContain('AT+CPMS="ME","ME","ME"');
    expect(commands).not.toContain('AT+CPMS="SM","SM","SM"');
    expect(modem.smsSetup?.storages).toEqual({ read: "ME", write: "ME", receive: "ME" });
    await modem.stop();
  });

  it("with SM empty, init selects ME for all three as before", async () => {
    const { modem, sim, commands } = simRig({ persona: "quectel", booted: true });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    expect(commands).toContain('AT+CPMS="ME","ME","ME"');
    expect(sim.state.cpms).toEqual(["ME", "ME", "ME"]);
    await modem.stop();
  });
});

describe("leftoverStorage", () => {
  const fill = (mem: string, used: number) => ({ mem, used, total: 50 });
  it("names the previous <mem1> or <mem3> holding messages, unless the receiver sweeps it anyway", () => {
    expect(leftoverStorage(quectelEc25, [fill("SM", 3), fill("SM", 3), fill("SM", 3)])).toBe("SM");
    expect(leftoverStorage(quectelEc25, [fill("ME", 0), fill("ME", 0), fill("SM", 1)])).toBe("SM");
    expect(leftoverStorage(quectelEc25, [fill("SM", 0), fill("SM", 0), fill("SM", 0)])).toBeNull();
    expect(leftoverStorage(quectelEc25, [fill("SR", 2), fill("ME", 0), fill("ME", 0)])).toBeNull();
    expect(leftoverStorage(simcomSim800, [fill("SM", 5), fill("SM", 5), fill("SM", 5)])).toBeNull();
    expect(leftoverStorage(simcomSim800, [fill("ME", 1), fill("SM", 0), fill("SM", 0)])).toBe("ME");
    expect(leftoverStorage(quectelEc25, null)).toBeNull();
  });
});
