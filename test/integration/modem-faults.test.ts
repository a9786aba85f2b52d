import { describe, expect, it } from "vitest";
import type { LoggerLike } from "../../src/modem/log.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { parseFault } from "../../src/sim/faults.js";
import { simRig, submitPdu, until } from "../drivers/helpers/sim-rig.js";

function sink() {
  const entries: Array<{ level: string; obj: unknown; msg: string | undefined }> = [];
  const mk = (): LoggerLike => {
    const at = (level: string) => (obj: object | string, msg?: string) => {
      entries.push({ level, obj, msg: typeof obj === "string" ? obj : msg });
    };
    return {
      child: () => mk(),
      trace: at("trace"),
      debug: at("debug"),
      info: at("info"),
      warn: at("warn"),
      error: at("error"),
    };
  };
  return { log: mk(), entries };
}

async function ready(o: Parameters<typeof simRig>[0]) {
  const rig = simRig({ booted: true, ...o });
  const got: IncomingPdu[] = [];
  rig.modem.onIncoming(async (p) => {
    got.push(p);
  });
  expect(await rig.modem.start()).toBe("ready");
  return { ...rig, got };
}

const { pdu, length } = submitPdu();

describe("send faults", () => {
  it("cms: +CMS ERROR: 500 → rejected, retry-later, nothing reached the network", async () => {
    const { modem, sim, network } = await ready({ persona: "sim800" });
    sim.setFault("cms:500");
    expect(await modem.sendPart(pdu, length)).toEqual({
      kind: "rejected",
      code: 500,
      category: "retry-later",
      text: "Unknown error",
    });
    expect(network.log.filter((e) => e.outcome === "accepted")).toHaveLength(0);
    await modem.stop();
  });

  it("reject: cause 21 for one recipient → rejected permanent", async () => {
    const { modem, sim } = await ready({ persona: "quectel" });
    sim.setFault("reject:+33612345678:21");
    expect(await modem.sendPart(pdu, length)).toMatchObject({
      kind: "rejected",
      code: 21,
      category: "permanent",
    });
    await modem.stop();
  });

  it("hang before the prompt → not-sent (no-prompt); the ladder brings the modem back, each rung logged once", async () => {
    const { log, entries } = sink();
    const { modem, sim, network } = await ready({ persona: "generic", modem: { log } });
    sim.setFault("hang:8");
    const out = await modem.sendPart(pdu, length);
    expect(out).toMatchObject({ kind: "not-sent", reason: "no-prompt" });
    await until(() => modem.state === "ready", 10_000, "recovery");
    expect(network.log).toHaveLength(0);
    const rungs = entries.filter(
      (e) => e.level === "warn" && typeof e.obj === "object" && e.obj !== null && "rung" in e.obj,
    );
    const names = rungs.map((e) => (e.obj as { rung: string }).rung);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe("ping");
    expect(rungs.every((e) => String((e.obj as { reason: string }).reason).includes("AT+CMGS"))).toBe(true);
    // And it works again.
    expect((await modem.sendPart(pdu, length)).kind).toBe("sent");
    await modem.stop();
  });

  it("no answer after the PDU → unknown (timeout), never resent", async () => {
    const { modem, sim, commands } = await ready({ persona: "sim800" });
    // The modem takes the PDU and never answers (a lost +CMGS).
    let submits = 0;
    sim.defineBehavior({
      onSubmit: () => {
        submits++;
        return true;
      },
    });
    const out = await modem.sendPart(pdu, length);
    expect(out).toMatchObject({ kind: "unknown", reason: "timeout" });
    await until(() => modem.state === "ready", 5_000, "recovery after timeout");
    await new Promise((r) => setTimeout(r, 50));
    expect(commands.filter((c) => c.startsWith("AT+CMGS")).length).toBe(1);
    expect(submits).toBe(1);
    await modem.stop();
  });

  it("drop-after: the line drops after the PDU was accepted → unknown, exactly one submission, modem failed", async () => {
    const { modem, sim, network } = await ready({ persona: "sim7600" });
    sim.setFault("drop-after");
    const out = await modem.sendPart(pdu, length);
    expect(out).toMatchObject({ kind: "unknown", reason: "closed-after-pdu" });
    expect(network.log.filter((e) => e.outcome === "accepted")).toHaveLength(1);
    await until(() => modem.state === "failed", 2_000, "failed state");
    expect(await modem.failed).toMatch(/closed/);
    expect((await modem.sendPart(pdu, length)).kind).toBe("not-sent");
    expect(network.log.filter((e) => e.outcome === "accepted")).toHaveLength(1);
  });

  it("drop before the command → not-sent (closed)", async () => {
    const { modem, sim, network } = await ready({ persona: "huawei" });
    sim.setFault("drop");
    expect(await modem.sendPart(pdu, length)).toMatchObject({ kind: "not-sent", reason: "closed" });
    expect(network.log).toHaveLength(0);
  });
});

describe("line and storage faults", () => {
  for (const fault of ["echo-dup", "garbage:0.3", "urc-storm", "slow:3"]) {
    for (const persona of ["sim800", "huawei"] as const) {
      it(`${fault} on ${persona}: init, send and receive still work`, async () => {
        const { modem, sim, got } = await ready({ persona, faults: [parseFault(fault)] });
        expect((await modem.sendPart(pdu, length)).kind).toBe("sent");
        sim.inject({ from: "+33699999999", text: "under noise" });
        await until(() => got.length === 1, 5_000, "receive under fault");
        expect(got[0]?.kind).toBe("deliver");
        await modem.stop();
      });
    }
  }

  it("storage-full: the message waits at the network and arrives once space is back", async () => {
    const { modem, sim, got } = await ready({ persona: "generic" });
    sim.setFault("storage-full");
    sim.inject({ from: "+33699999999", text: "later" });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(0);
    sim.clearFaults("storage-full");
    await until(() => got.length === 1, 5_000, "redelivery");
    expect(got[0]?.kind).toBe("deliver");
    await modem.stop();
  });
});
