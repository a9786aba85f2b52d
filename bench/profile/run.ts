/**
 * CPU per part of the gateway's send path (issue #8): the workload of bench/peers/run.ts (N messages,
 * 70 % short GSM-7, 20 % 2-part GSM-7, 10 % UCS-2, queued at once, one simulated modem on a pty at
 * zero latency), run against the COMPILED sources (tsc → a private outDir), as the daemon runs from
 * dist/ in production, or through tsx for comparison. Several rounds; medians reported.
 *
 * Run: `npx tsx bench/profile/run.ts [--count 500] [--rounds 3] [--mode dist|tsx] [--enqueue one|many]
 *   [--prof <dir>] [--wrap "<cmd>"] [--no-build]`
 * --enqueue one: one engine.enqueue (one commit) per message, as bench/peers does; many: the backlog
 * through engine.enqueueMany in one transaction, as POST /v1/messages/batch does.
 * --prof writes V8 CPU profiles (node --cpu-prof) of the client into <dir>. --wrap "<cmd …>" runs the
 * client under another program, e.g. --wrap "strace -c -f -o /tmp/sys.txt" (syscall counts) or
 * --wrap "perf record -F 499 -g -o /tmp/perf.data" (on-CPU samples, kernel included; add
 * --perf-basic-prof through NODE_OPTIONS for JS names). The CPU figures then include the wrapper.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { servePty } from "../../src/sim/pty-server.js";
import { machineInfo, median } from "../lib/timing.js";
import { TreeMeter } from "../peers/proc-tree.js";

const { values: opt } = parseArgs({
  options: {
    count: { type: "string", default: "500" },
    rounds: { type: "string", default: "3" },
    mode: { type: "string", default: "dist" },
    prof: { type: "string" },
    wrap: { type: "string" },
    enqueue: { type: "string", default: "one" },
    "no-build": { type: "boolean", default: false },
  },
});
const N = Number(opt.count);
const root = resolve(import.meta.dirname, "../..");
const outDir = join(root, "bench/.tmp/profile-dist");
const ZERO = { bootMs: 0, smsReadyMs: 0, commandMs: 0, submitMs: 0, registerMs: 0, rebootMs: 0, noiseMs: 0 };

// The same mix as bench/peers/run.ts.
const messages = Array.from({ length: N }, (_, i) => {
  const to = `+3361${String(1_000_000 + i).padStart(7, "0")}`;
  if (i % 10 === 9) return { to, text: `Ünïcödé ${i} Ωλ 中文` };
  if (i % 10 >= 7) return { to, text: `bench ${i} ${"long message text ".repeat(14)}`.slice(0, 250) };
  return { to, text: `bench ${i} short @{}` };
});

if (opt.mode === "dist" && !opt["no-build"]) {
  const r = spawnSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", join(import.meta.dirname, "tsconfig.json")],
    {
      stdio: "inherit",
    },
  );
  if (r.status !== 0) throw new Error("tsc failed");
}

interface Figures {
  parts: number;
  startMs: number;
  enqueueMs: number;
  sendMs: number;
  sendWallMs: number;
  sysMs: number;
  treeMsPerPart: number;
}

async function round(i: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-profile-"));
  const tty = join(dir, "tty");
  const server = await servePty({ persona: "quectel", booted: true, ptyPath: tty, seed: 1, timings: ZERO });
  try {
    const file = join(dir, "messages.json");
    writeFileSync(file, JSON.stringify(messages));
    const prof = opt.prof
      ? [
          "--cpu-prof",
          `--cpu-prof-dir=${resolve(opt.prof)}`,
          `--cpu-prof-name=client-${opt.mode}-${i}.cpuprofile`,
        ]
      : [];
    const args =
      opt.mode === "dist"
        ? [...prof, join(outDir, "bench/profile/client.js")]
        : [...prof, "--import", "tsx", join(import.meta.dirname, "client.ts")];
    const wrap = opt.wrap ? opt.wrap.split(" ").filter(Boolean) : [];
    const cmd = [...wrap, ...(wrap.length && wrap[0] === "perf" ? ["--"] : []), process.execPath, ...args];
    const child = spawn(cmd[0] as string, [...cmd.slice(1), tty, join(dir, "queue.db"), file], {
      stdio: ["pipe", "pipe", "inherit"],
      env: { ...process.env, PROFILE_ENQUEUE: opt.enqueue },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    while (!out.includes("loaded")) {
      if (child.exitCode !== null) throw new Error(out);
      await new Promise((r) => setTimeout(r, 20));
    }
    const meter = new TreeMeter(child.pid as number);
    const cpu0 = meter.cpuSeconds();
    child.stdin.write("go\n");
    const line = await new Promise<string>((res, rej) => {
      child.stdout.on("data", () => {
        const l = out.split("\n").find((x) => x.startsWith("{"));
        if (l) res(l);
      });
      child.once("exit", (code) => rej(new Error(`client exited ${code}: ${out}`)));
    });
    meter.sample();
    const tree = meter.cpuSeconds() - cpu0;
    meter.stop();
    await new Promise((r) => child.once("exit", r));
    const f = JSON.parse(line) as Omit<Figures, "treeMsPerPart">;
    return { ...f, treeMsPerPart: (tree * 1000) / f.parts };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Figures[] = [];
for (let i = 0; i < Number(opt.rounds); i++) {
  const r = await round(i);
  rows.push(r);
  console.log(JSON.stringify(r));
}
const med = (k: keyof Figures) => median(rows.map((r) => r[k]));
const parts = med("parts");
const m = machineInfo();
console.log(
  JSON.stringify({
    mode: opt.mode,
    enqueue: opt.enqueue,
    count: N,
    parts,
    "cpu ms/part (tree, after load)": +med("treeMsPerPart").toFixed(3),
    "start ms": +med("startMs").toFixed(1),
    "enqueue ms/part": +(med("enqueueMs") / parts).toFixed(3),
    "send ms/part": +(med("sendMs") / parts).toFixed(3),
    "send wall s": +(med("sendWallMs") / 1000).toFixed(2),
    "system ms/part": +(med("sysMs") / parts).toFixed(3),
    machine: m,
  }),
);
