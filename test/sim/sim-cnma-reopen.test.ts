/**
 * The +CNMA network timer belongs to the modem, not to the host's open port (27.005 §3.4.4): a host
 * killed between a +CMT and its AT+CNMA leaves the modem waiting, and whoever opens the port next
 * meets either the pending acknowledgement or, once the timer has fired, routing turned off.
 */
import { describe, expect, it } from "vitest";
import { buildSimModem, SimNetwork } from "../../src/sim/index.js";
import { createMemoryPair } from "../../src/transport/memory.js";
import { until } from "../drivers/helpers/sim-rig.js";
import { FAST, RawClient } from "./raw-client.js";

function sim800(cnmaTimeoutMs: number) {
  const network = new SimNetwork({ retryMs: 20 });
  const sim = buildSimModem({ persona: "sim800", booted: true, network, cnmaTimeoutMs, timings: FAST });
  /** Opens the port, as a new process does; the previous opener's line is closed first. */
  let previous: RawClient | null = null;
  const open = async (): Promise<RawClient> => {
    if (previous) await previous.transport.close();
    const [driverSide, deviceSide] = createMemoryPair("sim://sim800");
    sim.modem.attach(deviceSide);
    previous = new RawClient(driverSide);
    return previous;
  };
  return { sim, open };
}

describe("+CMT left unacknowledged by a host that went away (27.005 §3.4.4)", () => {
  it("the next opener finds the acknowledgement still pending: AT+CNMA=2 is accepted and the network redelivers", async () => {
    const { sim, open } = sim800(60_000);
    const first = await open();
    await first.cmd("ATE0;+CSMS=1;+CNMI=2,2,0,1,0");
    sim.inject({ from: "+33699998888", text: "killed before +CNMA" });
    await first.waitFor("+CMT:");
    const second = await open();
    expect(sim.modem.inbound.awaitingAck).toBe(true);
    expect(await second.cmd("AT+CNMA=2")).toBe("\r\nOK\r\n");
    expect(sim.modem.inbound.awaitingAck).toBe(false);
    await second.waitFor(/\+CMT: "",\d+\r\n[0-9A-F]+\r\n$/);
    expect(await second.cmd("AT+CNMA")).toBe("\r\nOK\r\n");
    expect(await second.cmd("AT+CNMI?")).toBe("\r\n+CNMI: 2,2,0,1,0\r\n\r\nOK\r\n");
    expect(sim.modem.inbound.history.map((h) => h.route)).toEqual(["cmt", "cmt"]);
    expect(sim.storage.used("SM")).toBe(0);
  });

  it("without it, the timer fires under the next opener: routing is off (2,0,0,0,0) and the redelivery is stored silently", async () => {
    const { sim, open } = sim800(80);
    const first = await open();
    await first.cmd("ATE0;+CSMS=1;+CNMI=2,2,0,1,0");
    sim.inject({ from: "+33699998888", text: "killed before +CNMA" });
    await first.waitFor("+CMT:");
    const second = await open();
    // The next process configures the modem the same way before the network timeout.
    expect(await second.cmd("ATE0;+CSMS=1;+CNMI=2,2,0,1,0")).toBe("\r\n+CSMS: 1,1,1\r\n\r\nOK\r\n");
    await until(() => sim.storage.used("SM") === 1, 3_000, "the redelivery in SM");
    expect(await second.cmd("AT+CNMI?")).toBe("\r\n+CNMI: 2,0,0,0,0\r\n\r\nOK\r\n");
    expect(second.received).toBe("");
    expect(sim.modem.inbound.history.map((h) => h.route)).toEqual(["cmt", "stored"]);
  });

  it("a power cycle, unlike a reopened port, forgets the pending acknowledgement and the network offers the message again", async () => {
    const { sim, open } = sim800(60_000);
    const first = await open();
    await first.cmd("ATE0;+CSMS=1;+CNMI=2,2,0,1,0");
    sim.inject({ from: "+33699998888", text: "rebooted" });
    await first.waitFor("+CMT:");
    sim.modem.powerOn(0);
    expect(sim.modem.inbound.awaitingAck).toBe(false);
    // After the boot +CNMI is back to the persona default (2,1,0,0,0): the message is stored with +CMTI.
    await until(() => sim.storage.used("SM") === 1, 3_000, "the message in SM");
    expect(sim.modem.inbound.history.map((h) => h.route)).toEqual(["cmt", "stored"]);
  });
});
