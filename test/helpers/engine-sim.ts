/**
 * Integration fixture: the real engine driving the real AT channel and Modem driver, each on a
 * simulated modem, all on one virtual network (src/sim). Runs on the system clock with shortened
 * persona timings.
 */
import { AtChannel } from "../../src/at/channel.js";
import { type Clock, systemClock } from "../../src/clock.js";
import { Engine } from "../../src/engine/engine.js";
import { Modem } from "../../src/modem/modem.js";
import type { EngineConfig } from "../../src/queue/config.js";
import { createSimModem, type SimControl, SimNetwork } from "../../src/sim/index.js";
import type { PersonaTimings } from "../../src/sim/personas.js";
import { mulberry32 } from "../../src/sim/prng.js";
import type { Transport } from "../../src/transport/types.js";

export interface FleetMember {
  readonly sim: SimControl;
  readonly modem: Modem;
}

export interface Fleet {
  readonly engine: Engine;
  readonly network: SimNetwork;
  readonly members: FleetMember[];
  stop(): Promise<void>;
}

/**
 * Defers each write to the next macrotask, as a serial line does: bytes written never reach the
 * device in the same tick. (It also kept these tests running while the simulator could miss input
 * that arrived as its read loop was unwinding, since fixed in src/sim/sim-modem.ts.)
 */
function withLineDelay(t: Transport): Transport {
  return {
    description: t.description,
    onData: (l) => t.onData(l),
    write: (b) =>
      new Promise<void>((resolve, reject) => setImmediate(() => t.write(b).then(resolve, reject))),
    close: () => t.close(),
    closed: t.closed,
  };
}

export const fastTimings: Partial<PersonaTimings> = {
  commandMs: 1,
  submitMs: 20,
  bootMs: 10,
  smsReadyMs: 10,
  registerMs: 10,
};

const personaCycle = ["sim800", "quectel", "huawei", "sim7600"] as const;

export async function startModem(
  network: SimNetwork,
  i: number,
  o: { clock?: Clock; timings?: Partial<PersonaTimings>; msisdn?: string } = {},
): Promise<FleetMember> {
  const clock = o.clock ?? systemClock;
  const { transport, sim } = createSimModem({
    persona: personaCycle[i % personaCycle.length]!,
    seed: i + 1,
    clock,
    network,
    booted: true,
    timings: { ...fastTimings, ...o.timings },
    ...(o.msisdn ? { msisdn: o.msisdn } : {}),
  });
  const channel = new AtChannel(withLineDelay(transport), { clock, escapeSettleMs: 20 });
  const modem = new Modem({ channel, clock, configuredId: `sim${i}`, healthIntervalMs: 0 });
  const state = await modem.start();
  if (state !== "ready") throw new Error(`simulated modem ${i} is ${state}`);
  return { sim, modem };
}

export async function startFleet(
  n: number,
  o: {
    db?: string;
    config?: Partial<EngineConfig>;
    timings?: Partial<PersonaTimings>;
    network?: SimNetwork;
    clock?: Clock;
  } = {},
): Promise<Fleet> {
  const clock = o.clock ?? systemClock;
  const network =
    o.network ??
    new SimNetwork({ clock, seed: 7, deliveryDelayMs: 20, statusReportDelayMs: 20, retryMs: 500 });
  const members: FleetMember[] = [];
  for (let i = 0; i < n; i++)
    members.push(await startModem(network, i, { clock, ...(o.timings ? { timings: o.timings } : {}) }));
  const engine = new Engine({
    db: o.db ?? ":memory:",
    clock,
    random: mulberry32(3),
    config: { ratePerMinute: 6000, rateBurst: 50, sweepIntervalMs: 200, ...o.config },
  });
  for (const m of members) engine.addModem(m.modem);
  engine.start();
  return {
    engine,
    network,
    members,
    async stop() {
      await engine.stop();
      await Promise.all(members.map((m) => m.modem.stop()));
    },
  };
}

/** Polls `cond` until it holds or `ms` passes. */
export async function until(cond: () => boolean, ms = 10_000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
