/**
 * The idle daemon: what `smsgw start` costs with 1 and 4 modems ready and no traffic, the state a
 * Raspberry Pi gateway spends most of its day in. Each run starts the daemon exactly as the 4-modem
 * peers bench does (bench/peers/smsgw-daemon.ts on a config with one [[modems]] per pty, simulated
 * modems served by servePty in this process), waits until every modem is ready plus a settle time
 * (start-up health polls and sweeps), then measures over the window:
 *   - CPU of the daemon's process tree (utime+stime from /proc, 10 ms ticks), ms per second and
 *     per modem, and of its threads alone from schedstat (ns: the precise figure at a few ms/s);
 *   - wake-ups: context switches of the daemon's threads per second (/proc/<pid>/task/<tid>/status);
 *   - AT commands per minute per modem, by command, as the simulated modems receive them.
 * With --prof <dir>, the daemon runs under `node --cpu-prof` and writes its V8 profile there at exit;
 * a copy cut to the window (samples outside it dropped: start-up and shutdown are not idle) is
 * written next to it as idle-<n>-modems.window.cpuprofile, to read with
 * `npx tsx bench/profile/summarise.ts <dir>/idle-4-modems.window.cpuprofile` ("(idle)" is sleep).
 * The profiler's own 1 ms sampling thread costs far more CPU than the idle daemon: the CPU and
 * wake-up figures of a --prof run are the profiler's, measure them in a run without it.
 *
 * Run: `npx tsx bench/idle.ts [--seconds 60] [--modems 1,4] [--settle 10] [--prof DIR]`
 *      `--quick`: one 4-modem 10 s window after 5 s of settling. Prints only (the figures in bench/RESULTS.md are copied by hand).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type PtyServer, servePty } from "../src/sim/pty-server.js";
import { outputTail } from "./lib/output-tail.js";
import { machineInfo } from "./lib/timing.js";
import { TreeMeter } from "./peers/proc-tree.js";
import { BENCH_KEY_ENV, freePort, waitReady, writeDaemonConfig } from "./peers/smsgw-api.js";

const { values: opt } = parseArgs({
  options: {
    seconds: { type: "string" },
    modems: { type: "string" },
    settle: { type: "string" },
    prof: { type: "string" },
    quick: { type: "boolean", default: false },
    // run-all.ts passes it to every bench; this one never writes bench/RESULTS.md anyway.
    "no-write": { type: "boolean", default: false },
  },
});
// --quick (npm run bench): one 4-modem window of 10 s after 5 s of settling, a smoke test.
const seconds = Number(opt.seconds ?? (opt.quick ? 10 : 60));
const settleS = Number(opt.settle ?? (opt.quick ? 5 : 10));
const fleets = (opt.modems ?? (opt.quick ? "4" : "1,4")).split(",").map(Number);
if (!(seconds > 0) || !(settleS >= 0) || fleets.some((n) => !Number.isInteger(n) || n < 1))
  throw new Error("usage: idle.ts [--seconds S] [--modems 1,4] [--settle S] [--prof DIR] [--quick]");

interface IdleRow {
  readonly modems: number;
  readonly seconds: number;
  /** Process tree, from clock ticks (TreeMeter). */
  readonly cpuMsPerS: number;
  /** The daemon's threads, from schedstat (ns). */
  readonly threadCpuMsPerS: number;
  readonly wakeupsPerS: number;
  readonly rssMb: number;
  /** AT command lines per minute, per modem (one entry per modem). */
  readonly atPerMin: readonly number[];
  /** Command (AT+CSQ, AT+CREG?…) → lines per minute per modem, averaged over the modems. */
  readonly byCommand: ReadonlyMap<string, number>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU time (ns, sum_exec_runtime of /proc/pid/task/tid/schedstat) and context switches (each is a
 * wake-up; /proc/pid/task/tid/status) of every thread of `pid`: proc(5). The tick counts of /proc
 * stat are 10 ms each, too coarse for a process that idles at a few ms per second.
 */
function threadStats(pid: number): { cpuNs: number; switches: number } {
  let cpuNs = 0;
  let switches = 0;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return { cpuNs, switches };
  }
  for (const tid of tids) {
    try {
      cpuNs += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const s = readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8");
      for (const m of s.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) switches += Number(m[1]);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { cpuNs, switches };
}

/** "AT+CREG?" → "AT+CREG?", "AT+CNMI=2,1,0,2,0" → "AT+CNMI=", "AT" → "AT". */
function commandName(line: string): string {
  const m = /^AT([+^$%]?[A-Z0-9]*)([=?]?)/i.exec(line.trim());
  return m ? `AT${(m[1] ?? "").toUpperCase()}${m[2] ?? ""}` : line.slice(0, 12);
}

/** Monotonic µs, the clock of a V8 profile's startTime and timeDeltas (CLOCK_MONOTONIC on Linux). */
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

interface CpuProfile {
  nodes: unknown[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Writes `<file>` without the samples taken outside [fromUs, toUs] as `<name>.window.cpuprofile`. */
function cutProfile(file: string, fromUs: number, toUs: number): string {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const samples: number[] = [];
  const deltas: number[] = [];
  let t = p.startTime;
  let last = fromUs;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    samples.push(id);
    deltas.push(t - last);
    last = t;
  });
  const out = file.replace(/\.cpuprofile$/, ".window.cpuprofile");
  writeFileSync(out, JSON.stringify({ ...p, startTime: fromUs, endTime: toUs, samples, timeDeltas: deltas }));
  return out;
}

async function stopDaemon(child: ChildProcess): Promise<void> {
  // SIGTERM is a graceful stop (exit 0), which is also when node writes the --cpu-prof profile.
  try {
    process.kill(-(child.pid as number), "SIGTERM");
  } catch {}
  for (const deadline = Date.now() + 15_000; child.exitCode === null && Date.now() < deadline; )
    await sleep(50);
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {}
}

async function idleRun(modems: number): Promise<IdleRow> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-idle-"));
  const servers: PtyServer[] = [];
  let child: ChildProcess | null = null;
  try {
    const counts: Map<string, number>[] = [];
    let counting = false;
    for (let k = 0; k < modems; k++) {
      const s = await servePty({
        persona: "quectel",
        booted: true,
        ptyPath: join(dir, `tty${k}`),
        seed: k + 1,
      });
      const seen = new Map<string, number>();
      counts.push(seen);
      // An observer, not a behaviour: returning false leaves the command to the persona.
      s.sim.defineBehavior({
        onCommand: (_sim, line) => {
          if (counting) seen.set(commandName(line), (seen.get(commandName(line)) ?? 0) + 1);
          return false;
        },
      });
      servers.push(s);
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    process.env[BENCH_KEY_ENV] = `smsgw_${randomBytes(32).toString("base64url")}`;
    const devs = servers.map((_, k) => realpathSync(join(dir, `tty${k}`)));
    const config = writeDaemonConfig(dir, devs, { listen: `127.0.0.1:${port}`, perMinute: 60 });
    const prof = opt.prof ? resolve(opt.prof as string) : null;
    const profName = `idle-${modems}-modems.cpuprofile`;
    if (prof) mkdirSync(prof, { recursive: true });
    const script = join(import.meta.dirname, "peers", "smsgw-daemon.ts");
    const c = spawn(
      process.execPath,
      [
        ...(prof ? ["--cpu-prof", "--cpu-prof-dir", prof, "--cpu-prof-name", profName] : []),
        "--import",
        "tsx",
        script,
        "start",
        "--config",
        config,
      ],
      { stdio: ["ignore", "pipe", "pipe"], detached: true },
    );
    child = c;
    const tail = outputTail(c);
    await waitReady(base, modems, 120_000, () => c.exitCode === null).catch((e: Error) => {
      throw new Error(`${e.message}\n${tail()}`);
    });
    await sleep(settleS * 1000);
    // Sampled at both ends only: a /proc scan from this process is not the daemon's CPU anyway.
    const meter = new TreeMeter(c.pid as number, 3_600_000);
    const cpu0 = meter.cpuSeconds();
    const st0 = threadStats(c.pid as number);
    counting = true;
    const t0 = performance.now();
    const us0 = monoUs();
    for (const end = t0 + seconds * 1000; performance.now() < end; await sleep(200))
      if (c.exitCode !== null) throw new Error(`smsgw exited during the window\n${tail()}`);
    meter.sample();
    counting = false;
    const us1 = monoUs();
    const s = (performance.now() - t0) / 1000;
    const cpu = meter.cpuSeconds() - cpu0;
    const st1 = threadStats(c.pid as number);
    meter.stop();
    if (prof) {
      await stopDaemon(c);
      const file = join(prof, profName);
      if (existsSync(file)) console.error(`profile of the window: ${cutProfile(file, us0, us1)}`);
      else console.error(`no profile written at ${file}\n${tail()}`);
    }
    const byCommand = new Map<string, number>();
    for (const m of counts)
      for (const [k, v] of m) byCommand.set(k, (byCommand.get(k) ?? 0) + (v * 60) / s / modems);
    return {
      modems,
      seconds: s,
      cpuMsPerS: (cpu * 1000) / s,
      threadCpuMsPerS: (st1.cpuNs - st0.cpuNs) / 1e6 / s,
      wakeupsPerS: (st1.switches - st0.switches) / s,
      rssMb: meter.peakRssKb / 1024,
      atPerMin: counts.map((m) => ([...m.values()].reduce((a, b) => a + b, 0) * 60) / s),
      byCommand,
    };
  } finally {
    if (child?.pid) await stopDaemon(child);
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const m = machineInfo();
console.log(
  `# Idle daemon, ${m.date}, ${m.nproc} × ${m.cpu}, node ${m.node}, load ${m.load.toFixed(2)}; ` +
    `window ${seconds} s after ready + ${settleS} s`,
);
console.log(
  "\n| modems | CPU ms/s (schedstat) | per modem | CPU ms/s (tree, ticks) | wake-ups/s | AT lines/min per modem | RSS MB |",
);
console.log("|---:|---:|---:|---:|---:|---:|---:|");
const rows: IdleRow[] = [];
for (const n of fleets) {
  const r = await idleRun(n);
  rows.push(r);
  const at = r.atPerMin.map((x) => x.toFixed(1)).join(" / ");
  console.log(
    `| ${n} | ${r.threadCpuMsPerS.toFixed(2)} | ${(r.threadCpuMsPerS / n).toFixed(2)} | ${r.cpuMsPerS.toFixed(2)} | ` +
      `${r.wakeupsPerS.toFixed(1)} | ${at} | ${r.rssMb.toFixed(0)} |`,
  );
}
for (const r of rows) {
  const cmds = [...r.byCommand]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(", ");
  console.log(`\n${r.modems} modem(s), AT lines per minute per modem: ${cmds || "none"}`);
}
if (opt.prof)
  console.log(
    `\nV8 profiles in ${resolve(opt.prof as string)} (npx tsx bench/profile/summarise.ts <file>); ` +
      "CPU and wake-ups above include the profiler's sampling thread.",
  );
