/**
 * One cell of the fault matrix: the gateway's modem side as the composition root builds it
 * (createModemFleet: sim:// device → in-memory line → AtChannel → Modem → ModemSupervisor) feeding
 * the real Engine on a temp SQLite file, everything on one discrete-event clock (./clock.ts).
 *
 * Timeline (virtual): modem ready at T0; one outbound message every 10 s for 300 s and one
 * inbound every 20 s; the fault at T0+65 s (between two sends); persistent faults cleared 60 s later; then the run
 * goes on until every message has an outcome and every inbound is stored, or T0+2 h.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "../../src/config/index.js";
import { Engine } from "../../src/engine/index.js";
import { createModemFleet } from "../../src/gateway-modems.js";
import type { Logger } from "../../src/log.js";
import type { LoggerLike } from "../../src/modem/log.js";
import type { SendOutcome } from "../../src/modem/types.js";
import type { Persona } from "../../src/sim/personas.js";
import { mulberry32 } from "../../src/sim/prng.js";
import { SimClock } from "./clock.js";
import type { MatrixFault } from "./faults.js";
import { REJECTED } from "./faults.js";
import { type CellRecord, judge } from "./judge.js";

export const S = 1000;
export const FAULT_AT = 65 * S;
const TRICKLE_END = 300 * S;
const LIMIT = 2 * 3600 * S;

export interface LogLine {
  readonly at: number;
  readonly level: string;
  readonly obj: Record<string, unknown>;
  readonly msg: string;
}

/** pino's shape, kept in memory with the virtual time of each line. */
function captureLogger(
  clock: SimClock,
  lines: LogLine[],
  bindings: Record<string, unknown> = {},
): LoggerLike {
  const at = (level: string) => (obj: object | string, msg?: string) => {
    if (level === "trace" || level === "debug") return;
    const o = typeof obj === "string" ? {} : (obj as Record<string, unknown>);
    lines.push({
      at: clock.now(),
      level,
      obj: { ...bindings, ...o },
      msg: typeof obj === "string" ? obj : (msg ?? ""),
    });
  };
  return {
    child: (b) => captureLogger(clock, lines, { ...bindings, ...b }),
    trace: at("trace"),
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  };
}

/** Recipient of outbound message k: ten numbers in turn, one of them the "reject" fault's. */
export const recipientOf = (k: number) => `+3361234000${k % 10}`;

/** `log`: also return the gateway's info/warn/error lines, with virtual time from T0 (for `--log`). */
export async function runCell(
  persona: Persona["id"],
  fault: MatrixFault,
  seed: number,
  o: { log?: boolean } = {},
): Promise<CellRecord & { log?: string[] }> {
  const wall0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "smsgw-fault-"));
  const clock = new SimClock();
  const lines: LogLine[] = [];
  const config = parseConfig(
    [
      "version = 1",
      `data_dir = ${JSON.stringify(dir)}`,
      "[business]",
      'name = "Fault matrix"',
      "[[modems]]",
      'id = "gsm0"',
      `port = "sim://${persona}?seed=${seed}&booted=1"`,
    ].join("\n"),
    "fault-matrix.toml",
    { env: {}, cwd: dir },
  );
  const engine = new Engine({ db: join(dir, "smsgw.db"), clock, random: mulberry32(seed) });
  const outcomes: { at: number; outcome: SendOutcome }[] = [];
  const states: { at: number; state: string }[] = [];
  const fleet = createModemFleet({
    config,
    clock,
    log: captureLogger(clock, lines) as unknown as Logger,
    env: {},
    onModem: (modem, _name, raw) => {
      raw.on("outcome", (o) => outcomes.push({ at: clock.now(), outcome: o }));
      raw.on("state", (next) => states.push({ at: clock.now(), state: next }));
      engine.addModem(modem);
    },
  });
  const sim = fleet.sims.get("gsm0");
  if (!sim) throw new Error("no simulated modem");
  const disabled: { at: number; reason: string }[] = [];
  engine.bus.on("modem.disabled", (e) => disabled.push({ at: e.at, reason: e.reason }));
  engine.start();
  fleet.start();
  const supervisor = fleet.supervisors.get("gsm0");
  await clock.runUntil(clock.now() + 120 * S, () => supervisor?.current?.state === "ready");
  const t0 = clock.now();
  const injected: { text: string; at: number }[] = [];
  const enqueued: string[] = [];
  for (let k = 0; k * 10 * S < TRICKLE_END; k++) {
    clock.setTimeout(
      () => {
        enqueued.push(engine.enqueue({ to: recipientOf(k), text: `fm-${k}`, category: "transactional" }).id);
      },
      k * 10 * S,
    );
  }
  for (let k = 0; k * 20 * S < TRICKLE_END; k++) {
    clock.setTimeout(
      () => {
        injected.push({ text: `in-${k}`, at: clock.now() });
        sim.inject({ from: `+3369900${String(k).padStart(4, "0")}`, text: `in-${k}` });
      },
      5 * S + k * 20 * S,
    );
  }
  let clearedAt: number | null = null;
  clock.setTimeout(() => sim.setFault(fault.spec), FAULT_AT);
  const faultAt = t0 + FAULT_AT;
  if (fault.clearAfterMs !== undefined) {
    clock.setTimeout(() => {
      sim.clearFaults(fault.kind);
      clearedAt = clock.now();
    }, FAULT_AT + fault.clearAfterMs);
  }
  const settled = () => {
    if (clock.now() - t0 < TRICKLE_END) return false;
    const open = engine.db
      .prepare("SELECT COUNT(*) AS n FROM parts WHERE status IN ('queued','scheduled','sending')")
      .get() as { n: number };
    const stored = engine.db.prepare("SELECT COUNT(*) AS n FROM inbound_messages").get() as { n: number };
    return open.n === 0 && stored.n >= injected.length;
  };
  await clock.runUntil(t0 + LIMIT, settled);
  const end = clock.now();
  const record = judge({
    persona,
    fault,
    t0,
    faultAt,
    end,
    clearedAt,
    outcomes,
    states,
    lines,
    disabled,
    opens: supervisor?.opens ?? 0,
    db: engine.db,
    network: sim.network.log,
    injected,
    rejected: REJECTED,
    onSim: new Set(
      sim.storage
        .names()
        .flatMap((n) => sim.storage.list(n, 4))
        .map(([, m]) => m.meta.text ?? ""),
    ),
  });
  // Shut down on the same clock: a supervisor may be waiting on a timer (backoff, boot).
  let stopped = false;
  const stop = Promise.all([engine.stop(), fleet.stop()]).then(() => {
    stopped = true;
  });
  await clock.runUntil(clock.now() + 600 * S, () => stopped);
  await stop;
  rmSync(dir, { recursive: true, force: true });
  const log = o.log
    ? lines.map((l) => `+${((l.at - t0) / 1000).toFixed(3)} s ${l.level} ${l.msg} ${JSON.stringify(l.obj)}`)
    : undefined;
  return { ...record, wallMs: performance.now() - wall0, ...(log && { log }) };
}
