import { describe, expect, it } from "vitest";
import type { LoggerLike } from "../../src/modem/log.js";
import { simRig, submitPdu, until } from "../drivers/helpers/sim-rig.js";

function sink() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string }> = [];
  const mk = (): LoggerLike => {
    const at = (level: string) => (obj: object | string, msg?: string) => {
      lines.push(
        typeof obj === "string"
          ? { level, obj: {}, msg: obj }
          : { level, obj: obj as Record<string, unknown>, msg: msg ?? "" },
      );
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
  return { log: mk(), lines };
}

const rungsOf = (lines: ReturnType<typeof sink>["lines"]) =>
  lines.filter((l) => l.level === "warn" && typeof l.obj.rung === "string").map((l) => l.obj.rung);

describe("recovery ladder and health", () => {
  it("a modem that stays silent climbs every rung once (ping, reinit, CFUN reset, reopen) and fails", async () => {
    const { log, lines } = sink();
    const { modem, sim } = simRig({ persona: "sim800", booted: true, modem: { log } });
    modem.onIncoming(async () => {});
    await modem.start();
    sim.setFault("hang:100000");
    const out = await modem.sendPart(submitPdu().pdu, submitPdu().length);
    expect(out).toMatchObject({ kind: "not-sent", reason: "no-prompt" });
    expect(await modem.failed).toMatch(/recovery failed/);
    expect(rungsOf(lines)).toEqual(["ping", "reinit", "reset", "reopen"]);
    expect(modem.state).toBe("failed");
  });

  it("a profile that forbids AT+CFUN=1,1 skips that rung (Huawei stick mode)", async () => {
    const { log, lines } = sink();
    const { modem, sim } = simRig({ persona: "huawei", booted: true, modem: { log } });
    modem.onIncoming(async () => {});
    await modem.start();
    sim.setFault("hang:100000");
    await modem.refreshHealth();
    await modem.failed;
    expect(rungsOf(lines)).toEqual(["ping", "reinit", "reopen"]);
  });

  it("health is polled on the injected clock's schedule", async () => {
    const { modem } = simRig({ persona: "quectel", booted: true, modem: { healthIntervalMs: 30_000 } });
    modem.onIncoming(async () => {});
    await modem.start();
    expect(modem.health().signalDbm).toBeNull();
    await until(() => modem.health().signalDbm !== null, 3_000, "first poll");
    expect(modem.health()).toMatchObject({ state: "ready", registration: "home" });
    expect(modem.health().operator).not.toBeNull();
    await modem.stop();
  });

  it("the PIN never reaches a log line or the health report", async () => {
    const { log, lines } = sink();
    const { modem } = simRig({ persona: "sim800", pin: "4321", modem: { pin: "4321", log } });
    modem.onIncoming(async () => {});
    expect(await modem.start()).toBe("ready");
    expect(JSON.stringify(lines)).not.toContain("4321");
    expect(JSON.stringify(modem.health())).not.toContain("4321");
    await modem.stop();
  });
});
