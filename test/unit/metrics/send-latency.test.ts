/**
 * The send-latency histogram fed by a real Modem on the simulator: every AT+CMGS reports how long it
 * took, under the configured modem name and the outcome kind.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/metrics/metrics.js";
import { ModemOutcomeTap } from "../../../src/metrics/modem-events.js";
import { type Fleet, startFleet, until } from "../../helpers/engine-sim.js";
import { FakeHealth, FakeModems } from "../http/fakes.js";

let fleet: Fleet | undefined;
afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
});

function sample(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe("send latency histogram", () => {
  it("observes each part's AT+CMGS duration after a send through the simulator", async () => {
    fleet = await startFleet(2);
    const [a, b] = fleet.members;
    const tap = new ModemOutcomeTap();
    const metrics = createMetrics({
      modems: new FakeModems(),
      health: new FakeHealth(),
      events: tap,
      sendLatency: tap,
      processMetrics: false,
    });
    tap.attach("sim0", a!.modem);
    const r = fleet.engine.enqueue({
      to: b!.sim.msisdn,
      text: "latency probe",
      category: "transactional",
      modem: a!.modem.id,
    });
    await until(() => fleet!.engine.getMessage(r.id)?.status === "sent", 10_000, "sent");
    const text = await metrics.render();
    const labels = '{modem="sim0",outcome="sent"}';
    expect(sample(text, `smsgw_send_latency_seconds_count${labels}`)).toBeGreaterThanOrEqual(1);
    expect(sample(text, `smsgw_send_latency_seconds_sum${labels}`)).toBeGreaterThan(0);
    // Only the configured name and the outcome kind: no IMEI, number or message id in the labels.
    const latencyLines = text.split("\n").filter((l) => l.startsWith("smsgw_send_latency_seconds"));
    for (const line of latencyLines)
      expect(line.slice(0, line.lastIndexOf(" "))).not.toMatch(/imei|\d{6,}|msg_/);
    metrics.close();
  }, 30_000);
});
