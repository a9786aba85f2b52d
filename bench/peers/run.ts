/**
 * smsgw against Gammu SMSD and smstools3, one script, two tables:
 * 1. zero latency (zero.ts): N messages (70 % short GSM-7, 20 % 2-part GSM-7, 10 % UCS-2) queued at
 *    once, one simulated modem on a pty answering at once: wall time, CPU per part, peak RSS;
 * 2. fleet (fleet.ts): 4 simulated modems taking 3 s per part under a backlog that outlasts the
 *    window: per-modem utilisation, steady-state CPU per part, peak RSS.
 * Run: `npx tsx bench/peers/run.ts [--part zero|fleet|both] [--count 500] [--persona quectel]
 *        [--modems 4] [--window 90] [--backlog N] [--submit-ms 3000] [--command-ms N]
 *        [--per-minute 30] [--gammu-outbox split|shared] [--trace]
 *        [--only smsgw|gammu-smsd|gammu-smsd-sql|smstools3]
 *        [--quick] [--no-write]`
 * `--gammu-outbox shared` points the 4 Gammu daemons at one outbox (not what its manual does) to
 * show why a files-backend user splits the backlog instead: see the "sent twice" column. The fleet
 * part also runs `gammu-smsd-sql`, Gammu's own multi-modem recipe (one SQL database shared by the
 * daemons), when libdbi's SQLite driver is installed (Debian: libdbd-sqlite3); else it says so.
 * `--quick` (for `npm run bench`): 6 messages at zero latency, 8 s fleet windows, nothing written.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { writeSection } from "../lib/results.js";
import { machineInfo } from "../lib/timing.js";
import { gammuSqlMissing } from "./daemons.js";
import { type FleetRow, fleetGammu, fleetGammuSql, fleetRun, fleetSmsgw, fleetSmstools } from "./fleet.js";
import { messageMix } from "./mix.js";
import { fleetSection, zeroSection } from "./report.js";
import { type ZeroRow, zeroGammu, zeroRun, zeroSmsgw, zeroSmstools } from "./zero.js";

const { values: opt } = parseArgs({
  options: {
    part: { type: "string", default: "both" },
    count: { type: "string" },
    persona: { type: "string", default: "quectel" },
    modems: { type: "string", default: "4" },
    window: { type: "string" },
    backlog: { type: "string" },
    "submit-ms": { type: "string", default: "3000" },
    "command-ms": { type: "string" },
    "per-minute": { type: "string", default: "30" },
    "gammu-outbox": { type: "string", default: "split" },
    trace: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    "no-write": { type: "boolean", default: false },
    only: { type: "string" },
  },
});
const quick = opt.quick;
// A partial run, or the shared-outbox demonstration, must not replace the recorded figures.
const write = !opt["no-write"] && !quick && !opt.only && opt["gammu-outbox"] !== "shared";
const persona = opt.persona as "quectel";
const names = ["smsgw", "gammu-smsd", "smstools3"] as const;
const wanted = names.filter((n) => !opt.only || opt.only === n);
const sqlMissing = gammuSqlMissing();
const results = join(import.meta.dirname, "..", "RESULTS.md");
const command = ["npx tsx bench/peers/run.ts", ...process.argv.slice(2)].join(" ");
// Several people share this working tree: say which code was measured.
const git = (...a: string[]) => spawnSync("git", a, { encoding: "utf8" }).stdout.trim();
const dirty = git("status", "--porcelain", "--", "src", "drivers") !== "";
const revision = `commit ${git("rev-parse", "--short", "HEAD")}${dirty ? " plus uncommitted changes in src/" : ""}`;

if (opt.part === "zero" || opt.part === "both") {
  const n = Number(opt.count ?? (quick ? 6 : 500));
  const prep = { smsgw: zeroSmsgw, "gammu-smsd": zeroGammu, smstools3: zeroSmstools };
  const rows: ZeroRow[] = [];
  for (const name of wanted) {
    rows.push(await zeroRun(name, prep[name], messageMix(n), persona));
    console.log(JSON.stringify(rows.at(-1)));
  }
  const s = zeroSection(rows, { n, persona, machine: machineInfo(), command, revision });
  console.log(s.table);
  if (write) writeSection(results, s.title, s.body);
}

if (opt.part === "fleet" || opt.part === "both") {
  const modems = Number(opt.modems);
  const windowS = Number(opt.window ?? (quick ? 8 : 90));
  const submitMs = Number(opt["submit-ms"]);
  // Twice what the modems can send in the window (at ~1.2 parts per message), so none runs dry.
  const backlog = Number(opt.backlog ?? Math.ceil((2 * modems * windowS * 1000) / submitMs / 1.2));
  const o = {
    modems,
    windowS,
    submitMs,
    commandMs: opt["command-ms"] === undefined ? undefined : Number(opt["command-ms"]),
    persona,
    perMinute: Number(opt["per-minute"]),
    trace: opt.trace,
  };
  const shared = opt["gammu-outbox"] === "shared";
  const prep = {
    smsgw: fleetSmsgw(o.perMinute),
    "gammu-smsd": fleetGammu(shared),
    "gammu-smsd-sql": fleetGammuSql,
    smstools3: fleetSmstools,
  };
  const fleetNames = [...names.slice(0, 2), "gammu-smsd-sql", ...names.slice(2)] as const;
  if (sqlMissing && (!opt.only || opt.only === "gammu-smsd-sql"))
    console.log(`gammu-smsd-sql left out: ${sqlMissing}`);
  const rows: FleetRow[] = [];
  for (const name of fleetNames.filter(
    (n) => (!opt.only || opt.only === n) && (n !== "gammu-smsd-sql" || !sqlMissing),
  )) {
    rows.push(await fleetRun(name, prep[name], messageMix(backlog), o));
    console.log(JSON.stringify(rows.at(-1)));
  }
  const s = fleetSection(rows, { ...o, backlog, machine: machineInfo(), command, revision });
  console.log(s.table);
  if (write) writeSection(results, s.title, s.body);
}
