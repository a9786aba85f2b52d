/**
 * The floor under smsgw's CPU per part (issue #8): what a Node program costs per part when it does
 * nothing but the AT+CMGS exchange by hand on the same simulated modem, pty and message mix as
 * bench/peers (./floor-client.ts), with and without one SQLite commit per part for the durable
 * attempt mark. Each variant in its own process, CPU of its tree after its modules are loaded
 * (/proc, as bench/peers measures the peers). Rounds interleaved; medians reported.
 * Run: `npx tsx bench/profile/floor.ts [--count 500] [--rounds 3]`
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { encodeSubmit } from "../../src/pdu/index.js";
import { servePty } from "../../src/sim/pty-server.js";
import { machineInfo, median } from "../lib/timing.js";
import { messageMix } from "../peers/mix.js";
import { TreeMeter } from "../peers/proc-tree.js";

const { values: opt } = parseArgs({
  options: { count: { type: "string", default: "500" }, rounds: { type: "string", default: "3" } },
});
const ZERO = { bootMs: 0, smsReadyMs: 0, commandMs: 0, submitMs: 0, registerMs: 0, rebootMs: 0, noiseMs: 0 };
const pdus = messageMix(Number(opt.count)).flatMap((m, i) =>
  encodeSubmit({ to: m.to, text: m.text, concatRef: i % 256 }).parts.map(({ pdu, tpduLength }) => ({
    pdu,
    tpduLength,
  })),
);
const variants = [
  { transport: "tty-writesync", mark: "none" },
  { transport: "tty", mark: "none" },
  { transport: "serialport", mark: "none" },
  { transport: "tty", mark: "NORMAL" },
  { transport: "tty", mark: "FULL" },
  { transport: "serialport", mark: "FULL" },
] as const;

async function run(v: (typeof variants)[number]): Promise<{ tree: number; self: number }> {
  const dir = mkdtempSync(join(tmpdir(), "smsgw-floor-"));
  const tty = join(dir, "tty");
  const server = await servePty({ persona: "quectel", booted: true, ptyPath: tty, seed: 1, timings: ZERO });
  try {
    const file = join(dir, "pdus.json");
    writeFileSync(file, JSON.stringify(pdus));
    const script = join(import.meta.dirname, "floor-client.ts");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, tty, file, v.transport, v.mark, join(dir, "q.db")],
      { stdio: ["pipe", "pipe", "inherit"] },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    while (!out.includes("loaded")) {
      if (child.exitCode !== null) throw new Error(out);
      await new Promise((r) => setTimeout(r, 10));
    }
    const meter = new TreeMeter(child.pid as number);
    const cpu0 = meter.cpuSeconds();
    child.stdin.write("go\n");
    await new Promise((r) => child.stdout.on("data", () => out.includes("{") && r(null)));
    meter.sample();
    const tree = meter.cpuSeconds() - cpu0;
    meter.stop();
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    const f = JSON.parse(out.slice(out.indexOf("{"))) as { parts: number; userMs: number; systemMs: number };
    return { tree: (tree * 1000) / f.parts, self: (f.userMs + f.systemMs) / f.parts };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = new Map<string, Array<{ tree: number; self: number }>>();
for (let r = 0; r < Number(opt.rounds); r++)
  for (const v of variants) {
    const key = `${v.transport}, mark ${v.mark}`;
    results.set(key, [...(results.get(key) ?? []), await run(v)]);
  }
console.log(`${pdus.length} parts; CPU ms per part, median of ${opt.rounds} rounds`);
console.log("| variant | tree (/proc) | process.cpuUsage |\n|---|---:|---:|");
for (const [k, rs] of results)
  console.log(
    `| ${k} | ${median(rs.map((x) => x.tree)).toFixed(3)} | ${median(rs.map((x) => x.self)).toFixed(3)} |`,
  );
console.log(JSON.stringify(machineInfo()));
