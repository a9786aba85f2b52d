/**
 * Peer complaints about USB port renumbering (docs/peer-complaints.md, peers.md §3.6): two modems
 * swap their tty after a reboot, as in asterisk-chan-dongle #171 ("modems swap after a reboot",
 * the user asked for binding by IMEI) and openmptcprouter #1170 (three E3372 mixed up after every
 * reboot). The engine keeps its state (sticky contacts, an operator's disable) by the IMEI the
 * modem reports (27.007 §5.4 AT+CGSN), not by the port it was found on.
 */

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AtChannel } from "../../src/at/channel.js";
import { systemClock } from "../../src/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { Modem } from "../../src/modem/modem.js";
import { createSimModem, SimNetwork } from "../../src/sim/index.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { deferWrites } from "../drivers/helpers/sim-rig.js";
import { fastTimings, until } from "../helpers/engine-sim.js";

const X = { imei: "356938035643809", msisdn: "+33612340001" };
const Y = { imei: "356938035643817", msisdn: "+33612340002" };
const Z = { imei: "356938035643825", msisdn: "+33612340003" };
const CONTACT = "+33699999921";

interface Plugged {
  readonly engine: Engine;
  readonly network: SimNetwork;
  readonly on: Record<string, Modem>;
  stop(): Promise<void>;
}
let life: Plugged | null = null;
afterEach(async () => {
  await life?.stop();
  life = null;
});

/** Boots the engine on `db` with each device found on the tty its key names. */
async function boot(db: string, ports: Record<string, typeof X>): Promise<Plugged> {
  const network = new SimNetwork({ seed: 7, deliveryDelayMs: 20, statusReportDelayMs: 20, retryMs: 500 });
  const on: Record<string, Modem> = {};
  const engine = new Engine({
    db,
    clock: systemClock,
    random: mulberry32(3),
    config: { sweepIntervalMs: 200 },
  });
  for (const [port, device] of Object.entries(ports)) {
    const { transport } = createSimModem({
      persona: "sim800",
      booted: true,
      network,
      timings: fastTimings,
      ...device,
    });
    const channel = new AtChannel(deferWrites(transport, systemClock), { clock: systemClock });
    // configuredId is the port: the id a port-bound gateway would key its state by.
    const modem = new Modem({ channel, clock: systemClock, configuredId: port, healthIntervalMs: 0 });
    expect(await modem.start()).toBe("ready");
    on[port] = modem;
    engine.addModem(modem);
  }
  engine.start();
  return {
    engine,
    network,
    on,
    async stop() {
      await engine.stop();
      await Promise.all(Object.values(on).map((m) => m.stop()));
    },
  };
}

describe("modems that swap ttys across a reboot (chan-dongle #171, openmptcprouter #1170)", () => {
  it("each keeps its contacts and its operator's disable: they follow the IMEI, not the port", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "smsgw-peer-identity-")), "smsgw.db");
    life = await boot(db, { ttyUSB0: X, ttyUSB1: Y, ttyUSB2: Z });
    expect(life.on.ttyUSB0!.id).toBe(`imei:${X.imei}`);
    // The contact talks to Y; the operator takes Z out (its SIM ran out of credit, say).
    life.network.inject({ to: Y.msisdn, from: CONTACT, text: "Bonjour, une question" });
    await until(
      () => life!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5_000,
      "inbound",
    );
    expect(life.engine.disableModem(`imei:${Z.imei}`, "no credit")).toBe(true);
    await life.stop();

    // Reboot: the kernel enumerates the sticks in another order. Keyed by port, ttyUSB2 (now X)
    // would be the disabled one and the contact would be answered from ttyUSB1 (now Z).
    life = await boot(db, { ttyUSB0: Y, ttyUSB1: Z, ttyUSB2: X });
    expect(life.on.ttyUSB0!.id).toBe(`imei:${Y.imei}`);
    expect(
      life.engine
        .listModems()
        .map((m) => [m.id, m.enabled])
        .sort(),
    ).toEqual([
      [`imei:${X.imei}`, true],
      [`imei:${Y.imei}`, true],
      [`imei:${Z.imei}`, false],
    ]);
    const ids = [1, 2, 3].map(
      (i) => life!.engine.enqueue({ to: CONTACT, text: `Réponse ${i}`, category: "conversational" }).id,
    );
    await until(() => ids.every((id) => life!.engine.getMessage(id)?.status === "sent"), 5_000, "sent");
    expect(life.network.log.filter((e) => e.outcome === "accepted").map((e) => [e.modem, e.to])).toEqual([
      [Y.msisdn, CONTACT],
      [Y.msisdn, CONTACT],
      [Y.msisdn, CONTACT],
    ]);
  });
});
