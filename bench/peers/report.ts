/**
 * The two RESULTS.md sections of the peers bench: tables, ratios to each peer (the issue's targets
 * are ratios: smsgw at most a tenth of a peer's CPU per part at zero latency, and ≥ 98 %
 * utilisation at 3 s per part), and how to read them.
 */
import type { machineInfo } from "../lib/timing.js";
import type { FleetRow } from "./fleet.js";
import type { ZeroRow } from "./zero.js";

type Machine = ReturnType<typeof machineInfo>;

const where = (m: Machine) =>
  `on ${m.nproc} × ${m.cpu}, Node ${m.node}, load average ${m.load.toFixed(2)} at the end` +
  `${m.load > m.nproc ? " (the machine was loaded by other work: wall-clock figures, times and utilisation, are worse than on an idle machine; CPU per part is the steadier figure)" : ""}`;

/** True when smsgw's CPU per part is at most a tenth of every peer's. */
function met(rows: readonly { name: string; cpuMsPerPart: number }[]): boolean {
  const own = rows.find((r) => r.name === "smsgw");
  return !!own && rows.every((r) => r === own || own.cpuMsPerPart <= r.cpuMsPerPart / 10);
}

/** "smsgw / peer" CPU-per-part ratios, e.g. "0.38 × gammu-smsd's"; empty without an smsgw row. */
function ratios(rows: readonly { name: string; cpuMsPerPart: number }[]): string {
  const own = rows.find((r) => r.name === "smsgw");
  if (!own) return "";
  return rows
    .filter((r) => r !== own)
    .map((r) => `${(own.cpuMsPerPart / r.cpuMsPerPart).toFixed(2)} × ${r.name}'s`)
    .join(", ");
}

const ZERO_NOTES = [
  "How to read it: a modem at zero latency leaves only each program's own machinery.",
  "smsgw sends one `AT+CMGS` per part from its queue.",
  "Gammu SMSD takes one outbox file per pass, re-checks registration and operator before each `AT+CMGS` (`AT+CREG=2`, `AT+CGREG=2`, `AT+CGATT?`, `AT+CREG?`, `AT+CGREG?`, `AT+COPS?`…) and sleeps 0.6 s between the prompt and the Ctrl-Z (libgammu's `ATGEN_SendSMS`), hence its 0.75 s per part; smstools3 too takes its spool one file at a time and reads answers in 0.1 s sleeps (`--trace` in the 4-modem part shows both).",
  "That pace still matters on real hardware, where a part takes about 3 s (Gammu issues 419 and 302): the idle it adds between parts costs Gammu SMSD about a fifth of each modem's time and smstools3 about an eighth (next section). Their CPU figure includes their polling spread over a longer run.",
  "smsgw's CPU leaves out loading its TypeScript sources (the client signals when modules are in) but includes opening and initialising the modem and the SQLite queue with synchronous=FULL; its RSS is Node's.",
  "Gammu SMSD and smstools3 are C programs of about 11 MB.",
].join(" ");

export function zeroSection(
  rows: readonly ZeroRow[],
  o: { n: number; persona: string; machine: Machine; command: string; revision: string },
) {
  const table = [
    "| program | wall time to last +CMGS | parts | CPU ms per part (process tree) | peak RSS (tree) |",
    "|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.wallS.toFixed(1)} s | ${r.parts} | ${r.cpuMsPerPart.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`,
    ),
  ].join("\n");
  const r = ratios(rows);
  const body =
    `${o.n} messages (70 % short GSM-7, 20 % 2-part GSM-7, 10 % UCS-2) queued at once, one simulated ${o.persona} modem on a pty at zero latency.\n\n${table}\n\n` +
    (r
      ? `smsgw's CPU per part is ${r} (target: at most 0.10 × each: ${met(rows) ? "met" : "not met"}).\n\n`
      : "") +
    `${ZERO_NOTES}\n\n` +
    `Measured ${o.machine.date} (${o.revision}) with \`${o.command}\` ${where(o.machine)}.`;
  return { title: "Interop with Gammu SMSD and smstools3", table, body };
}

export interface FleetContext {
  readonly modems: number;
  readonly windowS: number;
  readonly submitMs: number;
  readonly commandMs: number | undefined;
  readonly persona: string;
  readonly perMinute: number;
  readonly backlog: number;
  readonly machine: Machine;
  readonly command: string;
  readonly revision: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Median and 90th percentile of the idle gaps of all modems, e.g. "52 ms (140)". */
function gaps(r: FleetRow): string {
  const g = r.modems.flatMap((m) => m.gapsMs).sort((a, b) => a - b);
  const q = (p: number) => g[Math.min(g.length - 1, Math.floor(p * g.length))] ?? Number.NaN;
  return `${q(0.5).toFixed(0)} ms (${q(0.9).toFixed(0)})`;
}

export function fleetSection(rows: readonly FleetRow[], o: FleetContext) {
  const table = [
    "| program | parts per modem in window | utilisation per modem | mean | radio idle between parts, median (p90) | CPU ms per part (tree, steady) | peak RSS (tree) | sent twice |",
    "|---|---|---|---|---|---|---|---|",
    ...rows.map((r) => {
      const u = r.modems.map((m) => m.busyS / r.windowS);
      const mean = u.reduce((a, b) => a + b, 0) / u.length;
      return (
        `| ${r.name} | ${r.modems.map((m) => m.parts).join(" / ")} | ${u.map(pct).join(" / ")} | **${pct(mean)}** | ` +
        `${gaps(r)} | ` +
        `${r.cpuMsPerPart.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB | ${r.duplicates} |`
      );
    }),
  ].join("\n");
  const mean = (r: FleetRow) => r.modems.reduce((a, m) => a + m.busyS, 0) / r.modems.length / r.windowS;
  const own = rows.find((r) => r.name === "smsgw");
  const util = own
    ? `smsgw's mean utilisation is ${pct(mean(own))} (target ≥ 98 %: ${mean(own) >= 0.98 ? "met" : "not met"} in this run), ` +
      `${rows
        .filter((r) => r !== own)
        .map((r) => `${(mean(own) / mean(r)).toFixed(2)} × ${r.name}'s`)
        .join(", ")}; its steady-state CPU per part is ${ratios(rows)}. ` +
      "Each modem's utilisation is about 3 s / (3 s + its idle between parts): the idle column is where the programs differ."
    : "";
  const body =
    `${o.modems} simulated ${o.persona} modems, each on its own pty, each taking ${o.submitMs / 1000} s between the PDU and \`+CMGS: <mr>\` ` +
    `and ${o.commandMs === undefined ? "the persona's 20 ms" : `${o.commandMs} ms`} per other AT command; ` +
    `a backlog of ${o.backlog} messages (same mix, ${rows[0]?.queuedParts ?? "?"} parts), about twice what the modems can send in the ${o.windowS} s window, queued before it ` +
    `(parts still unsent at the window's end: ${rows.map((r) => `${r.name} ${r.leftParts}`).join(", ")}). ` +
    `Utilisation = radio time (each submission's ${o.submitMs / 1000} s, clipped to the window) / window; the window opens when the run's first submission starts.\n\n` +
    `${table}\n\n${util}\n\n${FLEET_NOTES(o)}\n\nMeasured ${o.machine.date} (${o.revision}) with \`${o.command}\` ${where(o.machine)}.`;
  return { title: "Interop: 4 modems at 3 s per part", table, body };
}

const FLEET_NOTES = (o: FleetContext) =>
  [
    `How each is set up (bench/peers/daemons.ts, docs/interop.md): smsgw is the daemon (\`smsgw start\`) with ${o.modems} \`[[modems]]\` at \`max_per_minute = ${o.perMinute}\` (a modem at 3 s per part sends at most 20, so the limit never binds) fed by \`POST /v1/messages/batch\`;`,
    `Gammu SMSD runs ${o.modems} daemons, one per modem: as gammu-smsd, each with its own files-backend spool, the backlog split round-robin at injection (the files backend has no claim step, so daemons cannot share an outbox); as gammu-smsd-sql (when libdbd-sqlite3 is installed), its own multi-modem recipe, every daemon with its PhoneID on one shared SQLite database through libdbi, the backlog injected once without a SenderID;`,
    `smstools3 runs one smsd with ${o.modems} devices fed by one spool.`,
    "CPU per part counts from the first accepted part (for smsgw, after the API enqueue returned) to the window's end, so start-up, injection and enqueue are out; it includes each program's polling at the pace of a real modem.",
    "“Sent twice” counts parts the network received more than once (same recipient, reference and sequence).",
  ].join(" ");
