import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/index.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { testClock } from "../drivers/helpers/replay.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

/** The real engine sending through one simulated SIM800 (AtChannel, Modem) on one virtual clock. */
async function gateway() {
  const clock = testClock(100);
  const rig = simRig({ persona: "sim800", booted: true, clock });
  expect(await rig.modem.start()).toBe("ready");
  const engine = new Engine({
    db: ":memory:",
    clock,
    random: mulberry32(3),
    config: { ratePerMinute: 6000, rateBurst: 50, failureMinSamples: 3 },
  });
  engine.addModem(rig.modem);
  engine.start();
  stop = async () => {
    await engine.stop();
    await rig.modem.stop();
  };
  return { clock, engine, sim: rig.sim, modem: rig.modem, id: rig.modem.id };
}

const to = (i: number) => `+3361234000${i % 10}`;

describe("SIM busy and automatic disable, through the engine and a simulated SIM800", () => {
  it("a 20 s SIM-busy window (+CMS ERROR: 314) does not disable the modem: every message goes out after it", async () => {
    const { engine, sim, modem } = await gateway();
    const busy: number[] = [];
    modem.on("outcome", (o) => {
      if (o.kind === "rejected" && o.code === 314) busy.push(o.code);
    });
    const disabled: string[] = [];
    engine.bus.on("modem.disabled", (e) => disabled.push(e.reason));
    sim.setFault("sim-busy:20");
    const ids = Array.from(
      { length: 6 },
      (_, i) => engine.enqueue({ to: to(i), text: `busy ${i}`, category: "transactional" }).id,
    );
    await until(() => ids.every((id) => engine.getMessage(id)?.status === "sent"), 10_000, "all sent");
    expect(disabled).toEqual([]);
    expect(busy.length).toBeGreaterThan(0); // the window was really met
  });

  it("a modem disabled for its failure rate is back in rotation once its fault is gone", async () => {
    const { engine, sim, id } = await gateway();
    const enabled: string[] = [];
    engine.bus.on("modem.enabled", (e) => enabled.push(e.id));
    sim.setFault("cms:300"); // ME failure: a modem fault, counted by the failure window
    const first = engine.enqueue({ to: to(1), text: "during the fault", category: "transactional" }).id;
    await until(() => engine.listModems().find((m) => m.id === id)?.enabled === false, 10_000, "disabled");
    sim.clearFaults("cms");
    const later = engine.enqueue({ to: to(2), text: "after the fault", category: "transactional" }).id;
    await until(() => enabled.includes(id), 10_000, "re-enabled after the cool-down");
    await until(
      () => [first, later].every((m) => engine.getMessage(m)?.status === "sent"),
      10_000,
      "both sent",
    );
    expect(engine.listModems().find((m) => m.id === id)).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
  });

  it("a modem an operator disabled stays disabled", async () => {
    const { clock, engine, sim, id } = await gateway();
    sim.setFault("cms:300");
    engine.enqueue({ to: to(1), text: "during the fault", category: "transactional" });
    await until(() => engine.listModems().find((m) => m.id === id)?.enabled === false, 10_000, "disabled");
    sim.clearFaults("cms");
    engine.disableModem(id, "maintenance");
    // Past the first cool-down (5 min), measured on the engine's own clock.
    const until6min = clock.now() + 6 * 60_000;
    await until(() => clock.now() > until6min, 10_000, "six minutes");
    expect(engine.listModems().find((m) => m.id === id)?.enabled).toBe(false);
  });
});
