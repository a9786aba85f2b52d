/**
 * Fault matrix (issue #8): every simulator fault (src/sim/faults.ts) × every persona
 * (src/sim/personas.ts), each cell a scenario through the real modem stack and engine
 * (bench/fault-matrix/scenario.ts) on a discrete-event clock, so the 1→60 s backoffs and 15–30 s
 * resets of the recovery ladder cost no wall time. Records outcome, ladder rungs, recovery time,
 * messages failed / unknown / delayed / waiting / lost and sent twice; lost and sent twice must be 0.
 * Run: `npx tsx bench/fault-matrix.ts` (`--quick`: sim800 and huawei only; `--persona P` and
 * `--fault KIND` to select; `--log` prints each cell's gateway log lines with their virtual time; `--workers W`, default 2; `--seed S`; `--no-write` to leave
 * bench/RESULTS.md alone). Exit code 1 when a message was lost or sent twice.
 */
import { availableParallelism } from "node:os";
import { type Persona, personas } from "../src/sim/personas.js";
import { MATRIX_FAULTS } from "./fault-matrix/faults.js";
import type { CellRecord } from "./fault-matrix/judge.js";
import { DELAYED_MS } from "./fault-matrix/judge.js";
import { detailTable, matrixTable, notes } from "./fault-matrix/report.js";
import { tsWorker } from "./fuzz/ts-worker.js";
import { writeSection } from "./lib/results.js";
import { machineInfo } from "./lib/timing.js";

const argv = process.argv.slice(2);
const flag = (n: string) => argv.includes(n);
const opt = (n: string) => {
  const i = argv.indexOf(n);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag("--quick");
const seed = Number(opt("--seed") ?? 1);
const workers = Math.max(1, Math.min(Number(opt("--workers") ?? 2), availableParallelism()));
const allPersonas = Object.keys(personas) as Persona["id"][];
const chosenPersonas = opt("--persona")
  ? allPersonas.filter((p) => p === opt("--persona"))
  : quick
    ? (["sim800", "huawei"] as const).slice()
    : allPersonas;
const chosenFaults = MATRIX_FAULTS.filter((f) => !opt("--fault") || f.kind === opt("--fault"));
const cells = chosenFaults.flatMap((f) => chosenPersonas.map((p) => ({ persona: p, fault: f.spec })));

const wall0 = performance.now();
const results: CellRecord[] = [];
// Cells are independent (own clock, network, DB): deal them to the workers in turn.
await Promise.all(
  Array.from({ length: workers }, (_, w) => {
    const mine = cells.filter((_, i) => i % workers === w);
    return new Promise<void>((resolve, reject) => {
      if (!mine.length) return resolve();
      const worker = tsWorker(new URL("./fault-matrix/worker.ts", import.meta.url), {
        cells: mine,
        seed,
        log: flag("--log"),
      });
      worker.on("message", (r: CellRecord & { log?: string[] }) => {
        const { log, ...record } = r;
        results.push(record);
        if (log) process.stderr.write(`${log.join("\n")}\n`);
        process.stderr.write(
          `  ${r.fault} × ${r.persona}: ${r.outcome} (${((r.wallMs ?? 0) / 1000).toFixed(1)} s)\n`,
        );
      });
      worker.once("error", reject);
      worker.once("exit", () => resolve());
    });
  }),
);
const wallS = (performance.now() - wall0) / 1000;
const order = (r: CellRecord) =>
  chosenFaults.findIndex((f) => f.spec === r.fault) * 100 +
  chosenPersonas.indexOf(r.persona as Persona["id"]);
results.sort((a, b) => order(a) - order(b));

const m = machineInfo();
const sum = (f: (r: CellRecord) => number) => results.reduce((s, r) => s + f(r), 0);
const cmd = `npx tsx bench/fault-matrix.ts${quick ? " --quick" : ""}`;
const body = [
  `Measured ${m.date} on ${m.nproc} × ${m.cpu}, Node ${m.node}, load average ${m.load.toFixed(1)}; command \`${cmd}\` ` +
    `(seed ${seed}, ${results.length} cells on ${workers} worker threads, ${wallS.toFixed(0)} s wall).`,
  "",
  "Each cell: one simulated modem built as the gateway builds it (`createModemFleet`: `sim://<persona>` → in-memory line → " +
    "AtChannel → Modem → ModemSupervisor) feeding the real Engine on a temp SQLite file, all on one discrete-event clock " +
    "(bench/fault-matrix/clock.ts): real persona latencies, real profile timeouts, the real ladder and 1→60 s supervisor backoff, " +
    "at no wall-clock cost. One outbound message every 10 s and one inbound every 20 s for 300 s; the fault at +65 s; " +
    "the faults marked “for 60 s” below are cleared by the scenario 60 s later; then the run goes on until every message " +
    "has an outcome and every inbound is stored, or 2 h of virtual time.",
  "",
  ...matrixTable(results),
  "",
  "Cell: outcome, then recovery time = from the fault's injection (from its clearing, for the faults the scenario clears) " +
    "to the first `+CMGS: <mr>` after it, which includes waiting up to 10 s for the next message of the trickle. " +
    "“by itself”: sends failed (the engine's retries got them through) or inbound waited at the network, no ladder; “rung ping/reinit/reset”: the highest " +
    "rung of the recovery ladder climbed; “reopened”: the supervisor recreated transport, channel and modem; " +
    "**modem disabled**: the engine took the modem out of rotation (its failure window) and brings it back after a cool-down (5 min, doubling) if it is ready then; " +
    "“inbound stranded”: a received message was still unread in the SIM's storage when the run ended (not lost: a later sweep would find it). " +
    "Virtual time makes the run deterministic: the same seed gave the same table in every run here, at load averages from 4 to 13.",
  "",
  "Faults: " + chosenFaults.map((f) => `\`${f.spec}\` ${f.means}`).join("; ") + ".",
  "",
  `Totals: ${sum((r) => r.lost)} lost, ${sum((r) => r.sentTwice)} sent twice, ${sum((r) => r.unknown)} unknown, ` +
    `${sum((r) => r.failed)} failed, ${sum((r) => r.waiting)} still waiting at the end, ${sum((r) => r.delayed)} delayed (sent more than ${DELAYED_MS / 1000} s after being queued).`,
  "",
  "<details><summary>Every cell's figures</summary>",
  "",
  ...detailTable(results),
  "",
  "</details>",
  "",
  "“lost”: the store says sent and the simulated network never accepted it, or an inbound message never reached the store. " +
    "“sent twice”: accepted by the network more than once. “waiting”: still queued when the run ended.",
  "",
  ...notes(results),
].join("\n");
process.stdout.write(`${body}\n`);
if (!flag("--no-write"))
  writeSection(new URL("./RESULTS.md", import.meta.url).pathname, "Fault matrix", body);
process.exit(sum((r) => r.lost + r.sentTwice) > 0 ? 1 : 0);
