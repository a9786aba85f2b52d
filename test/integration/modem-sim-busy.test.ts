import { describe, expect, it } from "vitest";
import type { LoggerLike } from "../../src/modem/log.js";
import type { IncomingPdu } from "../../src/modem/types.js";
import { simRig, until } from "../drivers/helpers/sim-rig.js";

function sink() {
  const warnings: string[] = [];
  const mk = (): LoggerLike => {
    const quiet = () => {};
    return {
      child: () => mk(),
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: (obj: object | string, msg?: string) =>
        warnings.push(typeof obj === "string" ? obj : (msg ?? "")),
      error: quiet,
    };
  };
  return { log: mk(), warnings };
}

describe("SIM busy while a message arrives (+CMTI, then AT+CMGR gets +CMS ERROR: 314)", () => {
  // healthIntervalMs 0 (the rig's default): no health poll comes to sweep, only the receiver itself.
  for (const persona of ["sim7600", "quectel", "huawei", "generic"] as const) {
    it(`${persona}: an inbound SMS is not left unread on the SIM after one failed read`, async () => {
      const { log, warnings } = sink();
      const { modem, sim, commands } = simRig({ persona, booted: true, modem: { log } });
      const got: IncomingPdu[] = [];
      modem.onIncoming(async (p) => {
        got.push(p);
      });
      expect(await modem.start()).toBe("ready");
      sim.setFault("sim-busy:10");
      sim.inject({ from: "+33699999999", text: "pendant que la SIM est occupée" });
      await until(() => commands.some((c) => c.startsWith("AT+CMGR=")), 5_000, "AT+CMGR after +CMTI");
      await until(() => got.length === 1, 10_000, "the message read by a later sweep");
      expect(got[0]).toMatchObject({ kind: "deliver", source: { via: "storage" } });
      const src = got[0]?.source;
      if (src?.via !== "storage") throw new Error("expected a stored message");
      await until(() => sim.storage.get(src.storage, src.index) === undefined, 2_000, "AT+CMGD");
      expect(commands.some((c) => c.startsWith("AT+CMGL="))).toBe(true);
      // One warning for the whole busy window, however many retries it took.
      expect(warnings.filter((w) => w.includes("swept again"))).toHaveLength(1);
      await modem.stop();
    });
  }

  it("an empty slot (+CMS ERROR: 321, a sweep took it first) is not warned about or retried", async () => {
    const { log, warnings } = sink();
    const { modem, sim, commands } = simRig({ persona: "quectel", booted: true, modem: { log } });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    sim.modem.urc(['+CMTI: "SM",7']);
    await until(() => commands.includes("AT+CMGR=7"), 5_000, "AT+CMGR=7");
    // Receive work runs one task at a time: this sweep resolves after the read of slot 7.
    await modem.sweep();
    expect(warnings).toEqual([]);
    await modem.stop();
  });
});
