/**
 * Peer complaints about sending (docs/peer-complaints.md, peers.md §3.1 and §3.3), replayed with
 * the real engine, AT channel and Modem driver on one simulated SIM800, on a virtual clock.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/index.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { testClock } from "../drivers/helpers/replay.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";
import { fastTimings } from "../helpers/engine-sim.js";

let stop: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stop?.();
  stop = null;
});

async function oneModem() {
  const clock = testClock(100);
  const rig = simRig({ persona: "sim800", booted: true, clock, timings: fastTimings });
  expect(await rig.modem.start()).toBe("ready");
  const engine = new Engine({
    db: ":memory:",
    clock,
    random: mulberry32(5),
    config: { ratePerMinute: 6000, rateBurst: 50 },
  });
  engine.addModem(rig.modem);
  engine.start();
  stop = async () => {
    await engine.stop();
    await rig.modem.stop();
  };
  return { engine, ...rig };
}

const to = (i: number) => `+336${String(10_000_000 + i)}`;
const accepted = (log: { outcome: string; to: string }[]) =>
  log.filter((e) => e.outcome === "accepted").map((e) => e.to);

describe("a long run through one modem (tdelenikas/smslib #12: after 100–150 SMS every send failed)", () => {
  it("300 queued messages all go out, each once, across the TP-MR wrap at 256", async () => {
    const { engine, network } = await oneModem();
    // Twenty contacts: the SIM's default cap of 150 distinct recipients per 30 days (carrier
    // plans, SMSGate #148) is not what is under test here.
    const ids = Array.from(
      { length: 300 },
      (_, i) => engine.enqueue({ to: to(i % 20), text: `rappel ${i}`, category: "transactional" }).id,
    );
    await until(() => ids.every((id) => engine.getMessage(id)?.status === "sent"), 15_000, "all sent");
    expect(accepted(network.log)).toEqual(ids.map((_, i) => to(i % 20)));
    // TP-MR is one octet (23.040 §9.2.3.6): 300 submissions wrap the modem's
    // counter, and the engine kept going.
    const mrs = ids.map((id) => engine.getMessage(id)?.parts[0]?.mr ?? -1);
    expect(mrs.slice(1).every((mr, i) => mr === ((mrs[i] ?? -1) + 1) % 256)).toBe(true);
  });
});

describe("a modem that answers 'busy, try again' (goip-sms-gateway #2: re-sending on WAIT duplicated)", () => {
  it("retries only what never reached the network: each message is submitted exactly once", async () => {
    const { engine, network, sim, modem } = await oneModem();
    let busy = 0;
    modem.on("outcome", (o) => {
      if (o.kind === "rejected" && o.code === 314) busy++;
    });
    // +CMS ERROR: 314 "SIM busy" (27.005 §3.2.5): the submit was refused, nothing left the modem.
    sim.setFault("sim-busy:20");
    const ids = Array.from(
      { length: 5 },
      (_, i) => engine.enqueue({ to: to(i), text: `occupé ${i}`, category: "transactional" }).id,
    );
    await until(() => ids.every((id) => engine.getMessage(id)?.status === "sent"), 10_000, "all sent");
    expect(busy).toBeGreaterThan(0); // the busy window was met
    expect(accepted(network.log).sort()).toEqual(ids.map((_, i) => to(i)).sort());
  });
});

describe("one recipient the network cannot reach (Gammu #537: +CMS ERROR: 38 left every SMS stuck)", () => {
  it("the others go out while it waits for its retry, and it goes once the network takes it", async () => {
    const { engine, network, sim } = await oneModem();
    // 24.011 Annex E-2 cause 38 "network out of order": transient, so retried later, not failed.
    sim.setFault(`reject:${to(0)}:38`);
    const bad = engine.enqueue({ to: to(0), text: "téléphone éteint", category: "transactional" }).id;
    const others = [1, 2, 3].map(
      (i) => engine.enqueue({ to: to(i), text: `pour ${i}`, category: "transactional" }).id,
    );
    await until(() => others.every((id) => engine.getMessage(id)?.status === "sent"), 10_000, "others sent");
    const part = engine.getMessage(bad)?.parts[0];
    expect(part).toMatchObject({ status: "queued", errorCode: "cms_38" });
    expect(accepted(network.log)).toEqual([to(1), to(2), to(3)]);
    sim.clearFaults("reject");
    await until(() => engine.getMessage(bad)?.status === "sent", 10_000, "retried and sent");
    expect(accepted(network.log).filter((n) => n === to(0))).toHaveLength(1);
  });
});
