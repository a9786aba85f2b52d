import { afterEach, describe, expect, it } from "vitest";
import { type Fleet, startFleet, until } from "../helpers/engine-sim.js";

let fleet: Fleet | null = null;
afterEach(async () => {
  await fleet?.stop();
  fleet = null;
});

const outside = "+33612345678";

describe("engine on simulated modems", () => {
  it("sends a message between two SIMs, receives it, and matches the status report", async () => {
    fleet = await startFleet(2);
    const [a, b] = fleet.members;
    const r = fleet.engine.enqueue({
      to: b!.sim.msisdn,
      text: "ping from the engine",
      category: "transactional",
      statusReport: true,
      modem: a!.modem.id,
    });
    await until(() => fleet!.engine.getMessage(r.id)?.status === "delivered", 10_000, "delivered");
    const accepted = fleet.network.log.filter((e) => e.outcome === "accepted");
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({
      modem: a!.sim.msisdn,
      to: b!.sim.msisdn,
      text: "ping from the engine",
    });
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    const inbound = fleet.engine.listMessages({ direction: "inbound" }).items[0];
    expect(inbound).toMatchObject({
      contact: a!.sim.msisdn,
      text: "ping from the engine",
      modemId: b!.modem.id,
    });
  });

  it("sends a multipart UCS-2 message through one modem; the receiving SIM reassembles it", async () => {
    fleet = await startFleet(3);
    const [, , c] = fleet.members;
    const text = "Ceci est un message long avec des émojis 😀 et de l'unicode ✓. ".repeat(3);
    const r = fleet.engine.enqueue({
      to: c!.sim.msisdn,
      text,
      category: "conversational",
      statusReport: true,
    });
    expect(r.coding).toBe("ucs2");
    await until(() => fleet!.engine.getMessage(r.id)?.status === "delivered", 10_000, "delivered");
    const senders = new Set(fleet.network.log.filter((e) => e.outcome === "accepted").map((e) => e.modem));
    expect(senders.size).toBe(1);
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    expect(fleet.engine.listMessages({ direction: "inbound" }).items[0]?.text).toBe(text);
  });

  it("reassembles an inbound multipart message delivered out of order with a duplicate part", async () => {
    fleet = await startFleet(1);
    const [a] = fleet.members;
    const text = "Part one and part two and part three of a long message that needs three SMS. ".repeat(4);
    a!.sim.inject({ from: outside, text, parts: 3, order: [3, 1, 3, 2], refBits: 16 });
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    await new Promise((r) => setTimeout(r, 200));
    const items = fleet.engine.listMessages({ direction: "inbound" }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ contact: outside, text });
  });

  it("keeps a contact on the SIM it talked to (sticky sender)", async () => {
    fleet = await startFleet(3);
    const [, b] = fleet.members;
    b!.sim.inject({ from: outside, text: "Bonjour, une question" });
    await until(
      () => fleet!.engine.listMessages({ direction: "inbound" }).items.length === 1,
      5000,
      "inbound",
    );
    const ids = [1, 2, 3, 4].map(
      (i) => fleet!.engine.enqueue({ to: outside, text: `réponse ${i}`, category: "conversational" }).id,
    );
    await until(() => ids.every((id) => fleet!.engine.getMessage(id)?.status === "sent"), 10_000, "sent");
    const senders = fleet.network.log.filter((e) => e.to === outside).map((e) => e.modem);
    expect(senders).toEqual([b!.sim.msisdn, b!.sim.msisdn, b!.sim.msisdn, b!.sim.msisdn]);
  });

  it("marks a permanently rejected recipient failed without blocking the others", async () => {
    fleet = await startFleet(1);
    const [a] = fleet.members;
    a!.sim.setFault("reject:+33698765432:21");
    const bad = fleet.engine.enqueue({
      to: "+33698765432",
      text: "to a barred number",
      category: "marketing",
    });
    const ok = fleet.engine.enqueue({ to: outside, text: "to a good number", category: "marketing" });
    await until(() => fleet!.engine.getMessage(ok.id)?.status === "sent", 5000, "sent");
    await until(() => fleet!.engine.getMessage(bad.id)?.status === "failed", 5000, "failed");
    expect(fleet.engine.getMessage(bad.id)?.parts[0]?.errorCode).toBe("cms_21");
  });
});
