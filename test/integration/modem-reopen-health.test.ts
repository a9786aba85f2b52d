import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import { Engine } from "../../src/engine/index.js";
import { createModemFleet, type ModemFleet } from "../../src/gateway-modems.js";
import type { Logger } from "../../src/log.js";
import type { LoggerLike } from "../../src/modem/log.js";
import type { ModemState } from "../../src/modem/types.js";
import { buildSimModem } from "../../src/sim/index.js";
import { createMemoryPair } from "../../src/transport/memory.js";
import type { Transport, TransportFactory } from "../../src/transport/types.js";
import { testClock } from "../drivers/helpers/replay.js";
import { deferWrites, until } from "../drivers/helpers/sim-rig.js";

const quiet: LoggerLike = {
  child: () => quiet,
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/**
 * The gateway's modem side (createModemFleet) feeding the real engine, on one virtual clock, with a
 * Huawei E3131 stick that takes 10 s to register after power-up: like the real stick, it reports SMS
 * ready (^SIMST) long before, so a reopened modem finishes init while still unregistered.
 */
function gateway() {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-reopen-"));
  const clock = testClock(100);
  const sim = buildSimModem({
    persona: "huawei",
    seed: 1,
    booted: true,
    clock,
    timings: { registerMs: 10_000 },
  });
  // Each open is a new line to the same stick, as reopening its tty is (src/gateway-modems.ts simFactory).
  let previous: Transport | null = null;
  const factory: TransportFactory = async () => {
    if (previous) await previous.close();
    const [driverSide, deviceSide] = createMemoryPair("sim://huawei");
    previous = deviceSide;
    sim.modem.attach(deviceSide);
    return deferWrites(driverSide, clock);
  };
  const config = parseConfig(
    [
      "version = 1",
      `data_dir = ${JSON.stringify(dir)}`,
      "[business]",
      'name = "Reopen"',
      "[[modems]]",
      'id = "gsm0"',
      'port = "/dev/ttyUSB0"',
    ].join("\n"),
    "reopen.toml",
    { env: {}, cwd: dir },
  );
  const engine = new Engine({ db: join(dir, "smsgw.db"), clock, random: () => 0.5 });
  const states: { at: number; state: ModemState }[] = [];
  const fleet: ModemFleet = createModemFleet({
    config,
    clock,
    log: quiet as unknown as Logger,
    env: {},
    transport: () => factory,
    onModem: (modem, _name, raw) => {
      raw.on("state", (next) => states.push({ at: clock.now(), state: next }));
      engine.addModem(modem);
    },
  });
  const supervisor = fleet.supervisors.get("gsm0");
  if (!supervisor) throw new Error("no supervisor");
  cleanup = async () => {
    await fleet.stop();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  engine.start();
  fleet.start();
  return { clock, engine, sim, supervisor, states };
}

describe("health after a reopen", () => {
  it("huawei: sending resumes within seconds of the SIM registering again, not one health interval later", async () => {
    const { clock, engine, sim, supervisor, states } = gateway();
    await until(() => supervisor.current?.state === "ready", 5_000, "first start");
    const first = supervisor.current;
    const accepted = () => sim.network.log.filter((e) => e.outcome === "accepted");
    engine.enqueue({ to: "+33612340001", text: "before", category: "transactional" });
    await until(() => accepted().length === 1, 5_000, "first send");

    // A USB reset: the line drops, the supervisor reopens, the stick boots again.
    let unregistered = false;
    let registeredAt: number | null = null;
    const watch = () => {
      if (sim.state.reg !== 1) unregistered = true;
      else if (unregistered) registeredAt = clock.now();
      if (registeredAt === null) clock.setTimeout(watch, 100);
    };
    sim.setFault("drop");
    void first?.refreshHealth();
    watch();
    await until(() => states.some((s) => s.state === "degraded"), 5_000, "reopened, not registered");
    expect(registeredAt).toBeNull();
    await until(() => registeredAt !== null, 5_000, "registration after the reopen");
    engine.enqueue({ to: "+33612340002", text: "after", category: "transactional" });
    await until(() => accepted().length === 2, 10_000, "send after the reopen");
    const sentAt = accepted()[1]?.at ?? Number.NaN;
    // Health polls on a backoff (2 s, 4 s, 8 s… from the degraded state) instead of 60 s later.
    expect(sentAt - (registeredAt ?? 0)).toBeLessThan(15_000);
    expect(supervisor.current?.state).toBe("ready");
  });
});
