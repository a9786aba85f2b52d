/**
 * The timed health poll of an idle modem (modem.ts #detailsDue): signal and registration every
 * interval, operator, storage and new-message routing every 5th poll, and at the next poll after
 * anything arrived from the modem unasked, since an indication left unacknowledged is what turns
 * routing off (27.005 §3.4.4). Regression: every poll sent seven commands per modem per minute,
 * answered the same all day (bench/idle.ts).
 */
import { describe, expect, it } from "vitest";
import type { IncomingPdu } from "../../src/modem/types.js";
import { SimNetwork } from "../../src/sim/index.js";
import { testClock } from "../drivers/helpers/replay.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";

/** The commands of each poll, a poll starting at each `signal` query. */
function polls(commands: readonly string[], signal: string): string[][] {
  const out: string[][] = [];
  for (const c of commands) {
    if (c === signal) out.push([]);
    out.at(-1)?.push(c);
  }
  return out;
}

describe("timed health polls of an idle modem", () => {
  it("read signal and registration each interval, and operator, storage and routing every 5th poll", async () => {
    const { modem, commands } = simRig({
      persona: "quectel",
      booted: true,
      modem: { healthIntervalMs: 60_000, healthDetailsEvery: 5 },
    });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    const from = commands.length;
    const count = () => commands.slice(from).filter((c) => c === "AT+QCSQ").length;
    await until(() => count() >= 7, 20_000, "seven timed polls");
    const full = ["AT+QCSQ", "AT+CREG?", "AT+COPS?", "AT+CPMS?", "AT+CNMI?"];
    const light = ["AT+QCSQ", "AT+CREG?"];
    // The first poll finds the registration changed (unknown before it): it reads everything.
    expect(polls(commands.slice(from), "AT+QCSQ").slice(0, 6)).toEqual([
      full,
      light,
      light,
      light,
      light,
      full,
    ]);
    expect(modem.health()).toMatchObject({ state: "ready", registration: "home" });
    expect(modem.health().operator).not.toBeNull();
    await modem.stop();
  });

  it("routing turned off by an unacknowledged +CMT is restored at the very next timed poll", async () => {
    const clock = testClock(100);
    const { modem, sim, commands } = simRig({
      persona: "sim800",
      booted: true,
      clock,
      network: new SimNetwork({ clock, seed: 7 }),
      cnmaTimeoutMs: 2_000,
      modem: { healthIntervalMs: 60_000, healthDetailsEvery: 5 },
    });
    const got: IncomingPdu[] = [];
    // The modem's ack timer turns routing off (27.005 §3.4.4) and the next timed poll turns it back
    // on: on the virtual clock that can be one tick later, too brief to catch by polling the state,
    // so the moment it is switched off is recorded where it happens.
    let routingOff = false;
    const watchRouting = () => {
      sim.state.cnmi = new Proxy(sim.state.cnmi, {
        set(t, k, v) {
          if (k === "1" && v === 0) routingOff = true;
          return Reflect.set(t, k, v);
        },
      });
    };
    modem.onIncoming(async (p) => {
      got.push(p);
      // A commit slower than the network timeout: the modem gives up waiting and turns routing off.
      if (got.length === 1) await until(() => routingOff, 5_000, "routing turned off");
    });
    expect(await modem.start()).toBe("ready");
    watchRouting();
    const from = commands.length;
    const signalPolls = () => commands.slice(from).filter((c) => c === "AT+CSQ").length;
    // After the first timed poll (a full one), the next four would be light ones.
    await until(() => signalPolls() === 1 && commands.slice(from).includes("AT+CNMI?"), 10_000, "first poll");
    const before = signalPolls();
    watchRouting(); // the routing check may have set a new +CNMI array since
    sim.inject({ from: "+33699999999", text: "slow commit" });
    await until(() => routingOff, 5_000, "routing turned off");
    await until(() => sim.state.cnmi[1] === 2, 10_000, "routing restored by a timed poll");
    const restoredAt = commands.lastIndexOf("AT+CNMI=2,2,0,1,0");
    expect(commands.slice(from, restoredAt).filter((c) => c === "AT+CSQ")).toHaveLength(before + 1);
    await until(() => sim.storage.used("SM") === 0 && got.length >= 2, 10_000, "redelivery swept");
    await modem.stop();
  });
});
