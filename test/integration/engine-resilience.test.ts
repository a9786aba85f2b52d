import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { SimNetwork } from "../../src/sim/index.js";
import { deliverPdu } from "../helpers/engine-fakes.js";
import { type Fleet, startFleet, startModem, until } from "../helpers/engine-sim.js";

let fleet: Fleet | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await fleet?.stop();
  fleet = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const outside = (i: number) => `+3361234${String(i).padStart(4, "0")}`;
const accepted = (f: Fleet) => f.network.log.filter((e) => e.outcome === "accepted");

describe("engine resilience on simulated modems", () => {
  it("moves queued messages to the other modems when one goes down", async () => {
    fleet = await startFleet(3, { timings: { submitMs: 150 } });
    const [a, b, c] = fleet.members;
    // a's contact is sticky to a; a goes down before its messages leave.
    a!.sim.inject({ from: outside(1), text: "hello" });
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    await a!.modem.stop();
    const ids = Array.from(
      { length: 8 },
      (_, i) =>
        fleet!.engine.enqueue({ to: outside(i % 2 ? 1 : i + 10), text: `m${i}`, category: "marketing" }).id,
    );
    await until(() => ids.every((id) => fleet!.engine.getMessage(id)?.status === "sent"), 15_000, "all sent");
    const senders = new Set(accepted(fleet).map((e) => e.modem));
    expect(senders).toEqual(new Set([b!.sim.msisdn, c!.sim.msisdn]));
    expect(fleet.engine.listModems().find((m) => m.id === a!.modem.id)?.state).toBe("stopped");
  });

  it("takes a modem that keeps faulting out of rotation and reports why", async () => {
    fleet = await startFleet(2, { config: { failureMinSamples: 3 } });
    const [a, b] = fleet.members;
    a!.sim.setFault("cms:300"); // ME failure: a modem fault, not the message's
    const disabled: string[] = [];
    fleet.engine.bus.on("modem.disabled", (e) => disabled.push(e.id));
    const ids = Array.from(
      { length: 10 },
      (_, i) => fleet!.engine.enqueue({ to: outside(i), text: `n${i}`, category: "marketing" }).id,
    );
    await until(() => ids.every((id) => fleet!.engine.getMessage(id)?.status === "sent"), 15_000, "all sent");
    expect(disabled).toEqual([a!.modem.id]);
    expect(new Set(accepted(fleet).map((e) => e.modem))).toEqual(new Set([b!.sim.msisdn]));
    expect(fleet.engine.listModems().find((m) => m.id === a!.modem.id)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/failure rate/),
    });
  });

  it("holds each SIM to its daily cap", async () => {
    fleet = await startFleet(2, { config: { dailyCapPerModem: 2 } });
    const ids = Array.from(
      { length: 5 },
      (_, i) => fleet!.engine.enqueue({ to: outside(i), text: `c${i}`, category: "marketing" }).id,
    );
    await until(() => accepted(fleet!).length === 4, 10_000, "four sent");
    await new Promise((r) => setTimeout(r, 300));
    expect(accepted(fleet)).toHaveLength(4);
    const counts = [...new Set(accepted(fleet).map((e) => e.modem))].map(
      (m) => accepted(fleet!).filter((e) => e.modem === m).length,
    );
    expect(counts).toEqual([2, 2]);
    expect(ids.filter((id) => fleet!.engine.getMessage(id)?.status === "queued")).toHaveLength(1);
  });

  it("ends a submission whose line dropped after the PDU as unknown and never resends it", async () => {
    fleet = await startFleet(2);
    const [a] = fleet.members;
    a!.sim.setFault("drop-after");
    const r = fleet.engine.enqueue({
      to: outside(1),
      text: "maybe sent",
      category: "transactional",
      modem: a!.modem.id,
    });
    await until(() => fleet!.engine.getMessage(r.id)?.status === "unknown", 10_000, "unknown");
    await new Promise((res) => setTimeout(res, 500));
    expect(accepted(fleet).filter((e) => e.text === "maybe sent")).toHaveLength(1);
    expect(fleet.engine.getMessage(r.id)?.parts[0]?.attempts).toBe(1);
  });

  it("sends an unknown message again only on resend, through a modem that is up", async () => {
    fleet = await startFleet(2);
    const [a, b] = fleet.members;
    a!.sim.inject({ from: outside(3), text: "hello" }); // the contact is now sticky to a
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    a!.sim.setFault("drop-after");
    const r = fleet.engine.enqueue({
      to: outside(3),
      text: "your order shipped",
      category: "conversational",
    });
    await until(() => fleet!.engine.getMessage(r.id)?.status === "unknown", 10_000, "unknown");
    await new Promise((res) => setTimeout(res, 300));
    expect(
      accepted(fleet)
        .filter((e) => e.text === "your order shipped")
        .map((e) => e.modem),
    ).toEqual([a!.sim.msisdn]);
    expect(fleet.engine.resend(r.id)).toBe("queued");
    await until(() => fleet!.engine.getMessage(r.id)?.status === "sent", 10_000, "sent after resend");
    expect(
      accepted(fleet)
        .filter((e) => e.text === "your order shipped")
        .map((e) => e.modem),
    ).toEqual([a!.sim.msisdn, b!.sim.msisdn]);
    expect(fleet.engine.getMessage(r.id)?.events.map((e) => e.to)).toContain("unknown");
  });

  it("completes an inbound multipart message across a restart (DB closed and reopened)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "smsgw-int-"));
    dirs.push(dir);
    const db = join(dir, "g.db");
    const network = new SimNetwork({ seed: 9, deliveryDelayMs: 20, statusReportDelayMs: 20, retryMs: 500 });
    const m = await startModem(network, 0);
    const parts = ["Première partie, ", "deuxième partie, ", "troisième."].map((text, i) =>
      deliverPdu({
        from: outside(5),
        text,
        at: Date.now(),
        coding: "ucs2",
        concat: { ref: 42, total: 3, seq: i + 1, refBits: 8 },
      }),
    );
    const first = new Engine({ db });
    first.addModem(m.modem);
    first.start();
    m.sim.inject({ from: outside(5), pdu: parts[2]! });
    await until(
      () => (first.db.prepare("SELECT COUNT(*) AS n FROM inbound_parts").get() as { n: number }).n === 1,
      5000,
      "part stored",
    );
    await first.stop();
    const second = new Engine({ db });
    second.addModem(m.modem);
    second.start();
    m.sim.inject({ from: outside(5), pdu: parts[0]! });
    m.sim.inject({ from: outside(5), pdu: parts[1]! });
    await until(() => second.listMessages({ direction: "inbound" }).items.length === 1, 5000, "reassembled");
    expect(second.listMessages({ direction: "inbound" }).items[0]?.text).toBe(
      "Première partie, deuxième partie, troisième.",
    );
    await second.stop();
    await m.modem.stop();
  });
});
