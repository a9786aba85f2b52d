import { describe, expect, it } from "vitest";
import { Modem } from "../../src/modem/modem.js";
import { PinMemory } from "../../src/modem/sim-card.js";
import { simRig } from "../drivers/helpers/sim-rig.js";

const profiles = {
  sim800: "simcom-sim800",
  sim7600: "simcom-sim7600",
  quectel: "quectel-ec25",
  huawei: "huawei-e3131",
  generic: "generic",
} as const;

describe("init against every simulated persona, from power-on", () => {
  for (const [persona, profile] of Object.entries(profiles) as Array<[keyof typeof profiles, string]>) {
    it(`${persona} → ${profile}, ready, identity read`, async () => {
      const { modem, sim } = simRig({ persona });
      modem.onIncoming(async () => {});
      expect(await modem.start()).toBe("ready");
      expect(modem.profile.id).toBe(profile);
      const id = sim.modem.options.identity;
      expect(modem.identity).toMatchObject({ imei: id.imei, iccid: id.iccid, imsi: id.imsi });
      expect(modem.id).toBe(`imei:${id.imei}`);
      expect(sim.state.cmgf).toBe(0);
      expect(sim.state.smsReady).toBe(true);
      // Registration may still be under way right after boot ("searching" → state "degraded").
      let h = await modem.refreshHealth();
      const end = Date.now() + 3_000;
      while (h.registration !== "home" && Date.now() < end) {
        expect(["searching", "not-registered"]).toContain(h.registration);
        expect(h.state).toBe("degraded");
        await new Promise((r) => setTimeout(r, 10));
        h = await modem.refreshHealth();
      }
      expect(h).toMatchObject({ state: "ready", registration: "home" });
      expect(h.signalDbm).not.toBeNull();
      await modem.stop();
    });
  }
});

describe("boot-time conditions", () => {
  it("waits out a long SMS-ready delay (+CMS ERROR: 302 until 'SMS Ready')", async () => {
    const { modem, sim, commands } = simRig({ persona: "sim800", timings: { smsReadyMs: 12_000 } });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    expect(sim.state.smsReady).toBe(true);
    // The readiness probe was repeated, and no SMS setting was sent before it succeeded.
    const probes = commands.filter((c) => c === "AT+CPMS?").length;
    expect(probes).toBeGreaterThan(1);
    expect(commands.indexOf("AT+CMGF=0")).toBeGreaterThan(commands.lastIndexOf("AT+CPMS?"));
    await modem.stop();
  });

  it("tolerates a SIM busy (+CME ERROR: 14) window at boot", async () => {
    const { modem } = simRig({ persona: "quectel", faults: [{ kind: "sim-busy", seconds: 5 }] });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    await modem.stop();
  });

  it("enters the right PIN once", async () => {
    const { modem, commands } = simRig({ persona: "sim800", pin: "4321", modem: { pin: "4321" } });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    expect(commands.filter((c) => c.startsWith("AT+CPIN=")).length).toBe(1);
    await modem.stop();
  });

  it("regression: a wrong PIN is entered once, never again on re-init; the SIM does not reach PUK", async () => {
    const memory = new PinMemory();
    const { modem, sim, channel, clock, commands } = simRig({
      persona: "quectel",
      pin: "4321",
      modem: { pin: "1111", pinMemory: memory },
    });
    expect(await modem.start()).toBe("pin-required");
    expect(modem.health().lastError).toMatch(/rejected/);
    // Two more Modem objects on the same line and SIM, as recreation after a restart would build.
    for (let i = 0; i < 2; i++) {
      const again = new Modem({
        channel,
        clock,
        configuredId: "sim",
        healthIntervalMs: 0,
        pin: "1111",
        pinMemory: memory,
      });
      expect(await again.start()).toBe("pin-required");
    }
    expect(commands.filter((c) => c.startsWith("AT+CPIN=")).length).toBe(1);
    expect(sim.state.pin).toBe("pin");
    expect(sim.modem.pinTries).toBe(2);
    await modem.stop();
  });

  it("reports puk-required and enters nothing", async () => {
    const { modem, sim, commands } = simRig({ persona: "sim800", pin: "4321", modem: { pin: "4321" } });
    sim.modem.pinTries = 0;
    sim.state.pin = "puk";
    expect(await modem.start()).toBe("puk-required");
    expect(modem.state).toBe("puk-required");
    expect(commands.some((c) => c.startsWith("AT+CPIN="))).toBe(false);
    await modem.stop();
  });

  it("a PIN-locked SIM without a configured PIN stays pin-required", async () => {
    const { modem, commands } = simRig({ persona: "huawei", pin: "4321" });
    expect(await modem.start()).toBe("pin-required");
    expect(commands.some((c) => c.startsWith("AT+CPIN="))).toBe(false);
    expect((await modem.sendPart("0001000B913316325476F8000005E8329BFD06", 18)).kind).toBe("not-sent");
    await modem.stop();
  });
});
