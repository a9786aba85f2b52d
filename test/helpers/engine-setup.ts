/** Builds an Engine on an in-memory (or given) database with a manual clock and fake modems. */
import { Engine, type EngineOptions } from "../../src/engine/engine.js";
import type { EngineConfig } from "../../src/queue/config.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { FakeModem, ManualClock } from "./engine-fakes.js";

export interface Setup {
  readonly engine: Engine;
  readonly clock: ManualClock;
  readonly modems: FakeModem[];
}

export function setupEngine(
  o: {
    modems?: number;
    config?: Partial<EngineConfig>;
    db?: string;
    clock?: ManualClock;
    start?: boolean;
  } & Partial<Pick<EngineOptions, "keywordHook" | "compliance">> = {},
): Setup {
  const clock = o.clock ?? new ManualClock();
  const engine = new Engine({
    db: o.db ?? ":memory:",
    clock,
    random: mulberry32(42),
    config: { ratePerMinute: 600, rateBurst: 10, sweepIntervalMs: 60_000, ...o.config },
    ...(o.keywordHook ? { keywordHook: o.keywordHook } : {}),
    ...(o.compliance ? { compliance: o.compliance } : {}),
  });
  const modems = Array.from(
    { length: o.modems ?? 1 },
    (_, i) => new FakeModem(`imei:35000000000000${i}`, clock),
  );
  for (const m of modems) engine.addModem(m);
  if (o.start !== false) engine.start();
  return { engine, clock, modems };
}

export const A = "+33612345678";
export const B = "+33698765432";
export const C = "+33611223344";
