/**
 * A daemon killed between a SIM800 +CMT and its AT+CNMA (bench/crash-loop.ts): the next process must
 * not let the modem's acknowledgement timer turn routing off under it (27.005 §3.4.4).
 */
import { describe, expect, it } from "vitest";
import { AtChannel } from "../../src/at/channel.js";
import { Modem } from "../../src/modem/modem.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { buildSimModem, SimNetwork } from "../../src/sim/index.js";
import { createMemoryPair } from "../../src/transport/memory.js";
import { testClock } from "../drivers/helpers/replay.js";
import { deferWrites, until } from "../drivers/helpers/sim-rig.js";

/** One SIM800 that outlives the processes opening its port, as a USB stick outlives the daemon. */
function sim800Host() {
  const clock = testClock(100);
  const network = new SimNetwork({ clock, seed: 7 });
  const sim = buildSimModem({ persona: "sim800", booted: true, seed: 1, clock, network });
  const commands: string[] = [];
  sim.defineBehavior({
    onCommand: (_s, line) => {
      commands.push(line);
      return false;
    },
  });
  let previous: { close(): Promise<void> } | null = null;
  /** Starts a daemon life: a new port, channel and Modem; the previous life's port is gone. */
  const life = async (handler: (p: IncomingPdu) => Promise<void>) => {
    await previous?.close();
    const [driverSide, deviceSide] = createMemoryPair("sim://sim800");
    previous = driverSide;
    sim.modem.attach(deviceSide);
    const channel = new AtChannel(deferWrites(driverSide, clock), { clock });
    const modem = new Modem({ channel, clock, configuredId: "sim800", healthIntervalMs: 0 });
    modem.onIncoming(handler);
    expect(await modem.start()).toBe("ready");
    return modem;
  };
  return { clock, network, sim, commands, life };
}

describe("SIM800 +CMT stranded by a crash before AT+CNMA", () => {
  it("inbound is not stranded: the next start refuses the pending +CMT, routing stays on and both messages arrive as +CMT", async () => {
    const { sim, commands, life } = sim800Host();
    const dying: IncomingPdu[] = [];
    // The first life never commits: it is killed while the store works on the message.
    await life(async (p) => {
      dying.push(p);
      await new Promise<void>(() => {});
    });
    sim.inject({ from: "+33699999999", text: "on the line at the kill" });
    await until(() => dying.length === 1, 5_000, "+CMT in the first life");
    const first = commands.length;

    const got: IncomingPdu[] = [];
    const modem = await life(async (p) => {
      got.push(p);
    });
    const init = commands.slice(first);
    // 27.005 §3.4.4: the leftover is refused before +CNMI is set, so its timer cannot undo +CNMI.
    expect(init.indexOf("AT+CNMA=2")).toBeGreaterThan(init.indexOf("AT+CSMS=1"));
    expect(init.indexOf("AT+CNMA=2")).toBeLessThan(init.indexOf("AT+CNMI=2,2,0,1,0"));
    expect(sim.modem.inbound.awaitingAck).toBe(false);

    sim.inject({ from: "+33699999999", text: "after the restart" });
    await until(() => got.length === 2, 10_000, "the redelivery and the next message");
    expect(got.map((p) => p.source.via)).toEqual(["cmt", "cmt"]);
    expect(new Set(got.map((p) => p.pdu)).has(dying[0]?.pdu ?? "")).toBe(true);
    expect(sim.state.cnmi).toEqual([2, 2, 0, 1, 0]);
    expect(sim.storage.used("SM")).toBe(0);
    expect(sim.modem.inbound.history.map((h) => h.route)).toEqual(["cmt", "cmt", "cmt"]);
    await modem.stop();
  });

  it("a +CDS status report pending at the kill is refused the same way and arrives in the next life", async () => {
    const { sim, life } = sim800Host();
    const dying: IncomingPdu[] = [];
    await life(async (p) => {
      dying.push(p);
      await new Promise<void>(() => {});
    });
    sim.injectStatusReport({ mr: 42, recipient: "+33612345678", status: "delivered" });
    await until(() => dying.length === 1, 5_000, "+CDS in the first life");
    expect(dying[0]?.kind).toBe("status-report");

    const got: IncomingPdu[] = [];
    const modem = await life(async (p) => {
      got.push(p);
    });
    await until(() => got.length === 1, 10_000, "the status report offered again");
    expect(got[0]).toMatchObject({ kind: "status-report", pdu: dying[0]?.pdu, source: { via: "cds" } });
    expect(sim.state.cnmi).toEqual([2, 2, 0, 1, 0]);
    await modem.stop();
  });

  it("a start with nothing pending meets +CMS ERROR: 340 and goes on", async () => {
    const { commands, life } = sim800Host();
    const modem = await life(async () => {});
    expect(commands).toContain("AT+CNMA=2");
    expect(modem.smsSetup?.cnmi.command).toBe("AT+CNMI=2,2,0,1,0");
    await modem.stop();
  });
});
