/**
 * Routing turned off at run time by the SIM800's +CNMA timer (27.005 §3.4.4) is noticed by the health
 * poll (routing-check.ts): +CNMI is set again and the messages stored silently meanwhile are swept.
 */
import { describe, expect, it } from "vitest";
import type { LoggerLike } from "../../src/modem/log.js";
import { parseCnmiValues } from "../../src/modem/routing-check.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { SimNetwork } from "../../src/sim/index.js";
import { testClock } from "../drivers/helpers/replay.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";

function sink() {
  const entries: Array<{ level: string; msg: string | undefined }> = [];
  const mk = (): LoggerLike => {
    const at = (level: string) => (obj: object | string, msg?: string) => {
      entries.push({ level, msg: typeof obj === "string" ? obj : msg });
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

describe("parseCnmiValues", () => {
  it("reads the answer and the command alike", () => {
    expect(parseCnmiValues("+CNMI: 2,0,0,0,0")).toEqual([2, 0, 0, 0, 0]);
    expect(parseCnmiValues("AT+CNMI=2,2,0,1,0")).toEqual([2, 2, 0, 1, 0]);
    expect(parseCnmiValues("+CNMI: 2,x,0,0,0")).toBeNull();
    expect(parseCnmiValues("+CNMI: (0-3),(0-3)")).toBeNull();
  });
});

describe("SIM800 routing turned off under a running gateway", () => {
  it("messages stored silently after the +CNMA timer fired are swept at the next health poll, routing set again, one warning", async () => {
    const clock = testClock(100);
    const { log, entries } = sink();
    const rig = simRig({
      persona: "sim800",
      booted: true,
      clock,
      network: new SimNetwork({ clock, seed: 7 }),
      cnmaTimeoutMs: 2_000,
      modem: { log },
    });
    const { modem, sim } = rig;
    const got: IncomingPdu[] = [];
    modem.onIncoming(async (p) => {
      got.push(p);
      // A commit slower than the network timeout (a locked database): the modem gives up waiting.
      if (got.length === 1) await until(() => sim.state.cnmi[1] === 0, 5_000, "routing turned off");
    });
    expect(await modem.start()).toBe("ready");

    sim.inject({ from: "+33699999999", text: "slow commit" });
    await until(() => sim.state.cnmi[1] === 0, 5_000, "routing turned off");
    expect(sim.state.cnmi).toEqual([2, 0, 0, 0, 0]);
    sim.inject({ from: "+33699999999", text: "while routing is off" });
    // The redelivery of the first and the second message land in SM without any indication.
    await until(() => sim.storage.used("SM") === 2, 5_000, "two messages stored silently");
    expect(got).toHaveLength(1);

    await modem.refreshHealth();
    expect(sim.state.cnmi).toEqual([2, 2, 0, 1, 0]);
    expect(sim.storage.used("SM")).toBe(0);
    expect(got.map((p) => p.source.via)).toEqual(["cmt", "storage", "storage"]);
    expect(got.slice(1).map((p) => p.pdu)).toContain(got[0]?.pdu);
    const warned = () => entries.filter((e) => e.level === "warn" && /routing/.test(e.msg ?? ""));
    expect(warned()).toHaveLength(1);

    // Routing as set: the next poll only reads AT+CNMI? and says nothing.
    await modem.refreshHealth();
    expect(warned()).toHaveLength(1);
    sim.inject({ from: "+33699999999", text: "routed again" });
    await until(() => got.length === 4, 5_000, "+CMT after the restore");
    expect(got[3]?.source.via).toBe("cmt");
    await modem.stop();
  });

  it("a firmware that reports an accepted +CNMI its own way is not taken for routing off at every poll", async () => {
    const { log, entries } = sink();
    const { modem, sim, commands } = simRig({ persona: "sim800", booted: true, modem: { log } });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    sim.defineBehavior({
      onCommand: (s, line) => {
        if (line !== "AT+CNMI?") return false;
        s.writeInfo(["+CNMI: 1,2,0,1,0"]);
        s.writeFinal({ kind: "ok" });
        return true;
      },
    });
    await modem.refreshHealth();
    await modem.refreshHealth();
    await modem.refreshHealth();
    expect(entries.filter((e) => e.level === "warn" && /routing/.test(e.msg ?? ""))).toHaveLength(1);
    expect(commands.filter((c) => c === "AT+CNMI=2,2,0,1,0")).toHaveLength(2); // init, then once
    await modem.stop();
  });
});
