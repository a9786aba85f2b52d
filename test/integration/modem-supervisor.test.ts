import { describe, expect, it } from "vitest";
import { AtChannel } from "../../src/at/channel.js";
import type { LoggerLike } from "../../src/modem/log.js";
import { ModemRegistry } from "../../src/modem/registry.js";
import { ModemSupervisor, type SupervisorOptions } from "../../src/modem/supervisor.js";
import {
  type CreateSimModemOptions,
  createSimModem,
  type SimControl,
  SimNetwork,
} from "../../src/sim/index.js";
import type { Transport } from "../../src/transport/types.js";
import { testClock } from "../drivers/helpers/replay.js";
import { deferWrites, submitPdu, until } from "../drivers/helpers/sim-rig.js";

/** A stick that can be re-plugged: each open powers a fresh simulated modem with the same identity
 * (same seed), on the next tty path in `paths`. */
function rig(
  o: {
    sim?: Partial<CreateSimModemOptions>;
    paths?: string[];
    modem?: SupervisorOptions["modemOptions"];
    log?: LoggerLike;
    downNote?: SupervisorOptions["downNote"];
  } = {},
) {
  const clock = testClock(100);
  const network = new SimNetwork({ clock, seed: 3 });
  const sims: SimControl[] = [];
  const cpinWrites: string[] = [];
  const paths = o.paths ?? ["/dev/ttyUSB0"];
  const registry = new ModemRegistry();
  const sup = new ModemSupervisor({
    transportFactory: async () => {
      const { transport, sim } = createSimModem({
        persona: "sim800",
        seed: 3,
        booted: true,
        clock,
        network,
        ...o.sim,
      });
      sim.defineBehavior({
        onCommand: (_s, line) => {
          if (line.startsWith("AT+CPIN=")) cpinWrites.push(line);
          return false;
        },
      });
      sims.push(sim);
      const path = paths[Math.min(sims.length - 1, paths.length - 1)] ?? "?";
      const t: Transport = { ...deferWrites(transport, clock), description: path };
      return t;
    },
    channelFactory: (t) => new AtChannel(t, { clock }),
    modemOptions: { configuredId: "modem-a", healthIntervalMs: 0, ...o.modem },
    registry,
    clock,
    ...(o.log && { log: o.log }),
    ...(o.downNote && { downNote: o.downNote }),
  });
  const downs: number[] = [];
  sup.on("down", (_r, ms) => downs.push(ms));
  return { sup, registry, network, sims, cpinWrites, downs };
}

describe("supervisor and registry", () => {
  it("drop: the supervisor reopens; the modem keeps its id, statistics and entry on another tty path", async () => {
    const { sup, registry, sims } = rig({ paths: ["/dev/ttyUSB0", "/dev/ttyUSB3"] });
    sup.start();
    await until(() => sup.current?.state === "ready", 3_000, "first start");
    const first = sup.current!;
    const { pdu, length } = submitPdu();
    expect((await first.sendPart(pdu, length)).kind).toBe("sent");
    const id = first.id;
    expect(registry.get(id)?.stats.sent).toBe(1);
    sims[0]?.setFault("drop");
    void first.refreshHealth(); // any command now meets the dropped line
    await until(
      () => sup.current !== null && sup.current !== first && sup.current.state === "ready",
      5_000,
      "reopen",
    );
    const entry = registry.get(id);
    expect(registry.list()).toHaveLength(1);
    expect(entry?.paths).toEqual(["/dev/ttyUSB0", "/dev/ttyUSB3"]);
    expect(entry?.currentPath).toBe("/dev/ttyUSB3");
    expect(entry?.stats).toMatchObject({ sent: 1, attachments: 2 });
    expect(sup.current?.id).toBe(id);
    expect((await sup.current!.sendPart(pdu, length)).kind).toBe("sent");
    expect(registry.get(id)?.stats.sent).toBe(2);
    await sup.stop();
  });

  it("a modem that drops while the Pi reports under-voltage says so in its 'modem down' warning", async () => {
    const warnings: Record<string, unknown>[] = [];
    const log: LoggerLike = {
      trace: () => {},
      debug: () => {},
      info: () => {},
      warn: (o) => void warnings.push(o as Record<string, unknown>),
      error: () => {},
      child: () => log,
    };
    const { sup, sims } = rig({ log, downNote: () => ({ undervoltage: "now" }) });
    sup.start();
    await until(() => sup.current?.state === "ready", 3_000, "first start");
    const first = sup.current!;
    sims[0]?.modem.dropLine();
    await until(() => sup.current !== null && sup.current !== first, 5_000, "reopen");
    expect(warnings.find((w) => "retryInMs" in w)).toMatchObject({ undervoltage: "now" });
    await sup.stop();
  });

  it("drop-after: unknown, and after the reopen nothing is resent (one submission at the network)", async () => {
    const { sup, sims, network } = rig();
    sup.start();
    await until(() => sup.current?.state === "ready", 3_000, "first start");
    const first = sup.current!;
    sims[0]?.setFault("drop-after");
    const { pdu, length } = submitPdu();
    expect(await first.sendPart(pdu, length)).toMatchObject({ kind: "unknown", reason: "closed-after-pdu" });
    await until(() => sims.length === 2 && sup.current?.state === "ready", 5_000, "reopen");
    await new Promise((r) => setTimeout(r, 50));
    expect(network.log.filter((e) => e.outcome === "accepted")).toHaveLength(1);
    await sup.stop();
  });

  it("regression: a rejected PIN is not entered again by the recreated modem (same SIM)", async () => {
    const { sup, sims, cpinWrites } = rig({
      sim: { pin: "4321" },
      modem: { configuredId: "m", healthIntervalMs: 0, pin: "1111" },
    });
    sup.start();
    await until(() => sup.current?.state === "pin-required", 3_000, "pin-required");
    // Unplug: the supervisor builds a new transport, channel and Modem.
    const first = sup.current!;
    sims[0]?.modem.dropLine();
    await until(
      () => sup.current !== null && sup.current !== first && sup.current.state === "pin-required",
      5_000,
      "recreated",
    );
    expect(sims).toHaveLength(2);
    expect(cpinWrites).toHaveLength(1);
    await sup.stop();
  });

  it("logs: a child per modem, AT traffic at trace with the port, no PIN anywhere", async () => {
    const entries: Array<{ level: string; bindings: Record<string, unknown>; msg: string }> = [];
    const mk = (bindings: Record<string, unknown>): LoggerLike => {
      const at = (level: string) => (obj: object | string, msg?: string) => {
        entries.push({
          level,
          bindings,
          msg: `${typeof obj === "string" ? obj : JSON.stringify(obj)} ${msg ?? ""}`,
        });
      };
      return {
        child: (b) => mk({ ...bindings, ...b }),
        trace: at("trace"),
        debug: at("debug"),
        info: at("info"),
        warn: at("warn"),
        error: at("error"),
      };
    };
    const clock = testClock(100);
    const network = new SimNetwork({ clock, seed: 3 });
    const sup = new ModemSupervisor({
      transportFactory: async () => {
        const { transport } = createSimModem({
          persona: "sim800",
          seed: 3,
          booted: true,
          clock,
          network,
          pin: "2468",
        });
        return deferWrites(transport, clock);
      },
      channelFactory: (t, log) => new AtChannel(t, { clock, log }),
      modemOptions: { configuredId: "line-1", healthIntervalMs: 0, pin: "2468" },
      registry: new ModemRegistry(),
      clock,
      log: mk({}),
    });
    sup.start();
    await until(() => sup.current?.state === "ready", 3_000, "ready");
    await sup.stop();
    const at = entries.filter((e) => e.bindings.mod === "at");
    expect(at.length).toBeGreaterThan(10);
    expect(at.every((e) => e.level === "trace" || e.level === "warn")).toBe(true);
    expect(at[0]?.bindings).toMatchObject({ modem: "line-1" });
    expect(at.some((e) => e.msg.includes("AT+CPIN="))).toBe(true);
    expect(entries.some((e) => e.bindings.mod === "modem" && e.bindings.modem === "line-1")).toBe(true);
    expect(JSON.stringify(entries)).not.toContain("2468");
  });

  it("backoff doubles from 1 s and is capped at 60 s while the port cannot be opened", async () => {
    const clock = testClock(100);
    let opens = 0;
    const sup = new ModemSupervisor({
      transportFactory: async () => {
        opens++;
        throw new Error("ENOENT: /dev/ttyUSB9");
      },
      channelFactory: (t) => new AtChannel(t, { clock }),
      modemOptions: { configuredId: "gone" },
      registry: new ModemRegistry(),
      clock,
    });
    const downs: number[] = [];
    sup.on("down", (_r, ms) => downs.push(ms));
    sup.start();
    await until(() => downs.length >= 8, 5_000, "eight failures");
    await sup.stop();
    expect(downs.slice(0, 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(opens).toBeGreaterThanOrEqual(8);
  });
});
