/**
 * The zero-latency part of the peers bench: N messages queued at once, one simulated modem on a
 * pseudo-terminal with zero command and submit latency, so that what is measured is each program's
 * own machinery. Per contender: wall time from start to the last accepted +CMGS, CPU seconds per
 * part of its process tree (/proc utime+stime), peak RSS of the tree.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { servePty } from "../../src/sim/pty-server.js";
import { gammuSmsd, smstools } from "./daemons.js";
import { type Msg, progress } from "./mix.js";
import { TreeMeter } from "./proc-tree.js";

const ZERO = { bootMs: 0, smsReadyMs: 0, commandMs: 0, submitMs: 0, registerMs: 0, rebootMs: 0, noiseMs: 0 };

export interface ZeroRow {
  name: string;
  wallS: number;
  parts: number;
  cpuMsPerPart: number;
  peakRssMb: number;
}

type Prepare = (
  dir: string,
  tty: string,
  messages: readonly Msg[],
) => { cmd: string; args: string[]; start?: "stdin" };

export async function zeroRun(
  name: string,
  prepare: Prepare,
  messages: readonly Msg[],
  persona: "quectel",
): Promise<ZeroRow> {
  const N = messages.length;
  const dir = mkdtempSync(join(tmpdir(), `smsgw-peers-${name}-`));
  const tty = join(dir, "tty");
  const server = await servePty({ persona, booted: true, ptyPath: tty, seed: 1, timings: ZERO });
  try {
    const { cmd, args, start } = prepare(dir, tty, messages);
    const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "pipe"], detached: true });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const meter = new TreeMeter(child.pid as number);
    let cpu0 = 0;
    if (start === "stdin") {
      // smsgw runs from TypeScript source: leave the compile-on-load CPU out of the figure.
      for (const deadline = Date.now() + 60_000; !out.includes("loaded"); ) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${name}: ${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      meter.sample();
      cpu0 = meter.cpuSeconds();
      child.stdin.write("go\n");
    }
    const t0 = Date.now();
    const deadline = t0 + 20 * 60_000;
    while (progress(server.sim.network.log).done < N) {
      if (Date.now() > deadline)
        throw new Error(`${name}: timeout, ${progress(server.sim.network.log).done}/${N}`);
      if (child.exitCode !== null && !out.includes("drained")) throw new Error(`${name} exited: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const p = progress(server.sim.network.log);
    meter.sample();
    const cpu = meter.cpuSeconds() - cpu0;
    meter.stop();
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
    try {
      process.kill(-(child.pid as number), "SIGKILL");
    } catch {}
    return {
      name,
      wallS: (p.lastAt - t0) / 1000,
      parts: p.parts,
      cpuMsPerPart: (cpu * 1000) / p.parts,
      peakRssMb: meter.peakRssKb / 1024,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** smsgw's engine and modem driver in their own process (smsgw-client.ts), fed from a JSON file. */
export const zeroSmsgw: Prepare = (dir, tty, messages) => {
  const file = join(dir, "messages.json");
  writeFileSync(file, JSON.stringify(messages.map(({ to, text }) => ({ to, text }))));
  const script = join(import.meta.dirname, "smsgw-client.ts");
  return {
    cmd: process.execPath,
    args: ["--import", "tsx", script, tty, join(dir, "queue.db"), file],
    start: "stdin",
  };
};

export const zeroGammu: Prepare = (dir, tty, messages) => gammuSmsd(dir, [tty], messages);
export const zeroSmstools: Prepare = (dir, tty, messages) => smstools(dir, [tty], messages);
