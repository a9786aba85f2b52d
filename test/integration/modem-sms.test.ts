import { describe, expect, it } from "vitest";
import { pduMessageType } from "../../src/modem/parse.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { simRig, submitPdu, until } from "../drivers/helpers/sim-rig.js";

async function ready(o: Parameters<typeof simRig>[0]) {
  const rig = simRig({ booted: true, ...o });
  const got: IncomingPdu[] = [];
  let behaviour: (p: IncomingPdu) => Promise<void> = async () => {};
  rig.modem.onIncoming(async (p) => {
    got.push(p);
    await behaviour(p);
  });
  expect(await rig.modem.start()).toBe("ready");
  return { ...rig, got, setBehaviour: (b: (p: IncomingPdu) => Promise<void>) => (behaviour = b) };
}

describe("send", () => {
  for (const persona of ["sim800", "sim7600", "quectel", "huawei", "generic"] as const) {
    it(`${persona}: +CMGS gives the message reference, the network got exactly one submission`, async () => {
      const { modem, network } = await ready({ persona });
      const { pdu, length } = submitPdu();
      const out = await modem.sendPart(pdu, length);
      expect(out.kind).toBe("sent");
      expect(network.log).toHaveLength(1);
      expect(network.log[0]).toMatchObject({ to: "+33612345678", text: "hello", outcome: "accepted" });
      expect(out).toEqual({ kind: "sent", mr: network.log[0]?.mr });
      expect(modem.health().lastSuccessAt).not.toBeNull();
      await modem.stop();
    });
  }
});

describe("receive", () => {
  it("+CMT (sim800, +CSMS=1): handed over, AT+CNMA only after the handler resolved", async () => {
    const { modem, sim, got, setBehaviour, commands } = await ready({ persona: "sim800" });
    let release!: () => void;
    setBehaviour(() => new Promise<void>((r) => (release = r)));
    sim.inject({ from: "+33699999999", text: "bonjour" });
    await until(() => got.length === 1, 5_000, "+CMT");
    expect(got[0]).toMatchObject({ kind: "deliver", source: { via: "cmt" } });
    expect(pduMessageType(got[0]?.pdu ?? "")).toBe("deliver");
    await new Promise((r) => setTimeout(r, 30));
    expect(commands).not.toContain("AT+CNMA");
    release();
    await until(() => commands.includes("AT+CNMA"), 2_000, "AT+CNMA");
    await modem.stop();
  });

  it("+CMT whose handler fails gets AT+CNMA=2 (RP-ERROR); the network redelivers and it is taken then", async () => {
    const { modem, sim, got, setBehaviour, commands } = await ready({ persona: "sim800" });
    setBehaviour(async () => {
      throw new Error("database locked");
    });
    sim.inject({ from: "+33699999999", text: "again" });
    await until(() => got.length === 1, 5_000, "first +CMT");
    await until(() => commands.includes("AT+CNMA=2"), 2_000, "negative acknowledgement");
    expect(commands).not.toContain("AT+CNMA");
    setBehaviour(async () => {});
    await until(() => got.length === 2, 5_000, "redelivery");
    expect(got[1]?.pdu).toBe(got[0]?.pdu);
    await until(() => commands.includes("AT+CNMA"), 2_000, "positive acknowledgement");
    await modem.stop();
  });

  for (const persona of ["quectel", "huawei", "generic", "sim7600"] as const) {
    it(`+CMTI (${persona}): read, then deleted only after the handler resolved`, async () => {
      const { modem, sim, got, setBehaviour } = await ready({ persona });
      let release!: () => void;
      setBehaviour(() => new Promise<void>((r) => (release = r)));
      sim.inject({ from: "+33699999999", text: "bonjour" });
      await until(() => got.length === 1, 5_000, "+CMTI delivery");
      const src = got[0]?.source;
      expect(src?.via).toBe("storage");
      if (src?.via !== "storage") return;
      expect(sim.storage.get(src.storage, src.index)).toBeDefined();
      release();
      await until(() => sim.storage.get(src.storage, src.index) === undefined, 2_000, "AT+CMGD");
      await modem.stop();
    });
  }

  it("handler rejecting leaves the message stored; the next sweep re-delivers and deletes it", async () => {
    const { modem, sim, got, setBehaviour } = await ready({ persona: "quectel" });
    setBehaviour(async () => {
      throw new Error("database locked");
    });
    sim.inject({ from: "+33699999999", text: "retry me" });
    await until(() => got.length === 1, 5_000, "first delivery");
    await new Promise((r) => setTimeout(r, 30));
    const src = got[0]?.source;
    if (src?.via !== "storage") throw new Error("expected a stored message");
    expect(sim.storage.get(src.storage, src.index)).toBeDefined();
    setBehaviour(async () => {});
    await modem.refreshHealth(); // the poll sweeps when something was left behind
    expect(got).toHaveLength(2);
    expect(got[1]?.pdu).toBe(got[0]?.pdu);
    expect(sim.storage.get(src.storage, src.index)).toBeUndefined();
    await modem.stop();
  });

  it("messages stored while nobody listened are swept at start", async () => {
    const rig = simRig({ persona: "generic", booted: true });
    rig.sim.inject({ from: "+33699999999", text: "early" });
    await new Promise((r) => setTimeout(r, 30));
    const got: IncomingPdu[] = [];
    rig.modem.onIncoming(async (p) => {
      got.push(p);
    });
    // The modem routes +CMTI only after our AT+CNMI; before that the SMS sits in storage.
    expect(await rig.modem.start()).toBe("ready");
    await until(() => got.length >= 1, 3_000, "sweep");
    expect(got[0]?.kind).toBe("deliver");
    await rig.modem.stop();
  });

  it("a handler registered after start (the engine attaches once the identity is known) gets the stored messages", async () => {
    const rig = simRig({ persona: "quectel", booted: true });
    expect(await rig.modem.start()).toBe("ready");
    rig.sim.inject({ from: "+33699999999", text: "while nobody listened" });
    await until(() => rig.sim.storage.used("ME") === 1, 3_000, "stored");
    const got: IncomingPdu[] = [];
    rig.modem.onIncoming(async (p) => {
      got.push(p);
    });
    await until(() => got.length === 1, 3_000, "sweep on attach");
    await until(() => rig.sim.storage.used("ME") === 0, 3_000, "deleted after commit");
    await rig.modem.stop();
  });
});

describe("status reports", () => {
  it("+CDS (sim800): handed over as status-report and acknowledged", async () => {
    const { modem, sim, got, commands } = await ready({ persona: "sim800" });
    const { pdu, length } = submitPdu(true);
    const out = await modem.sendPart(pdu, length);
    if (out.kind !== "sent") throw new Error(`send failed: ${JSON.stringify(out)}`);
    sim.injectStatusReport({ mr: out.mr, status: "delivered" });
    await until(() => got.some((p) => p.kind === "status-report"), 5_000, "+CDS");
    expect(got.find((p) => p.kind === "status-report")?.source).toEqual({ via: "cds" });
    await until(() => commands.includes("AT+CNMA"), 2_000, "AT+CNMA");
    await modem.stop();
  });

  it("+CDSI (sim7600): read from SR storage, then deleted there", async () => {
    const { modem, sim, got } = await ready({ persona: "sim7600" });
    const { pdu, length } = submitPdu(true);
    const out = await modem.sendPart(pdu, length);
    if (out.kind !== "sent") throw new Error(`send failed: ${JSON.stringify(out)}`);
    sim.injectStatusReport({ mr: out.mr, status: "delivered" });
    await until(() => got.some((p) => p.kind === "status-report"), 5_000, "+CDSI");
    const sr = got.find((p) => p.kind === "status-report");
    expect(sr?.source).toMatchObject({ via: "storage", storage: "SR" });
    await until(() => sim.storage.used("SR") === 0, 2_000, "SR emptied");
    // The read storage goes back to ME after the delete: a command later, not at the same instant.
    await until(() => sim.state.cpms[0] === "ME", 2_000, "read storage back to ME");
    await modem.stop();
  });
});
