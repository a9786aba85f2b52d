/**
 * The 4-modem part of the peers bench: N simulated modems on N ptys, each taking `submitMs` (3 s)
 * between the PDU and "+CMGS: <mr>", and a backlog larger than they can send in the window, queued
 * before the window starts. Per modem: parts whose submission finished in the window and busy
 * time, the sum of each submission's [accepted − submitMs, accepted] interval clipped to the
 * window (the radio time, AT handshakes excluded), over the window's length. The window opens
 * when the first submission of the run starts, so a modem that starts late is charged for it.
 * CPU per part is the process tree's CPU in steady state: from the first accepted part (for smsgw,
 * also after the API enqueue returned) to the end of the window, over the parts accepted meanwhile.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { NetworkLogEntry } from "../../src/sim/network.js";
import { type PtyServer, servePty } from "../../src/sim/pty-server.js";
import { outputTail } from "../lib/output-tail.js";
import { gammuSmsd, gammuSmsdSql, type Launch, smstools } from "./daemons.js";
import { type Msg, partsOf } from "./mix.js";
import { TreeMeter } from "./proc-tree.js";
import { BENCH_KEY_ENV, enqueue, freePort, waitReady, writeDaemonConfig } from "./smsgw-api.js";

export interface FleetOptions {
  readonly modems: number;
  readonly windowS: number;
  readonly submitMs: number;
  /** Per AT command; undefined keeps the persona's own. */
  readonly commandMs: number | undefined;
  readonly persona: "quectel";
  /** smsgw's [[modems]] max_per_minute. */
  readonly perMinute: number;
  /** Print modem 0's AT command lines, with the time since the previous line, to stderr. */
  readonly trace?: boolean;
}

export interface ModemUse {
  readonly parts: number;
  readonly busyS: number;
  /** Radio idle between two of its submissions in the window: accepted → next PDU, ms. */
  readonly gapsMs: readonly number[];
}

export interface FleetRow {
  readonly name: string;
  readonly modems: readonly ModemUse[];
  readonly windowS: number;
  readonly queuedParts: number;
  readonly leftParts: number;
  readonly duplicates: number;
  readonly cpuMsPerPart: number;
  readonly peakRssMb: number;
}

type Prepare = (
  dir: string,
  ttys: readonly string[],
  messages: readonly Msg[],
) => Promise<Launch & { feed?: Feed }>;
type Feed = (child: ChildProcess) => Promise<void>;

const accepted = (logs: readonly (readonly NetworkLogEntry[])[]) =>
  logs.map((l) => l.filter((e) => e.outcome === "accepted"));

/** Busy seconds of one modem within [from, to]: its submissions' radio intervals, clipped. */
function use(log: readonly NetworkLogEntry[], from: number, to: number, submitMs: number): ModemUse {
  let busy = 0;
  let parts = 0;
  const gapsMs: number[] = [];
  log.forEach((e, i) => {
    busy += Math.max(0, Math.min(e.at, to) - Math.max(e.at - submitMs, from));
    if (e.at > from && e.at <= to) parts++;
    const prev = log[i - 1];
    if (prev && prev.at >= from && e.at - submitMs <= to) gapsMs.push(e.at - submitMs - prev.at);
  });
  return { parts, busyS: busy / 1000, gapsMs };
}

function duplicates(logs: readonly (readonly NetworkLogEntry[])[]): number {
  const seen = new Set<string>();
  let dup = 0;
  for (const e of logs.flat()) {
    const k = `${e.to}/${e.concat?.ref ?? "-"}/${e.concat?.seq ?? 1}`;
    if (seen.has(k)) dup++;
    seen.add(k);
  }
  return dup;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function fleetRun(
  name: string,
  prepare: Prepare,
  messages: readonly Msg[],
  o: FleetOptions,
): Promise<FleetRow> {
  const dir = mkdtempSync(join(tmpdir(), `smsgw-fleet-${name}-`));
  const servers: PtyServer[] = [];
  let child: ChildProcess | null = null;
  try {
    const timings = { submitMs: o.submitMs, ...(o.commandMs !== undefined && { commandMs: o.commandMs }) };
    for (let k = 0; k < o.modems; k++)
      servers.push(
        await servePty({
          persona: o.persona,
          booted: true,
          ptyPath: join(dir, `tty${k}`),
          seed: k + 1,
          timings,
        }),
      );
    if (o.trace) traceModem(name, servers[0]);
    const logs = () => accepted(servers.map((s) => s.sim.network.log));
    const { cmd, args, feed } = await prepare(
      dir,
      servers.map((_, k) => join(dir, `tty${k}`)),
      messages,
    );
    const c = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    child = c;
    const tail = outputTail(c);
    // A /proc scan blocks this process, which also plays the modems, for several ms: once a second
    // is enough for long-lived daemons (CPU is read at both ends of the window anyway).
    const meter = new TreeMeter(c.pid as number, 1000);
    if (feed) await feed(c);
    // Steady state starts at the first accepted part.
    for (const deadline = Date.now() + 120_000; logs().every((l) => l.length === 0); await sleep(20))
      if (Date.now() > deadline || c.exitCode !== null) throw new Error(`${name}: nothing sent\n${tail()}`);
    meter.sample();
    const cpu0 = meter.cpuSeconds();
    const parts0 = logs().flat().length;
    const from = Math.min(...logs().flatMap((l) => l.map((e) => e.at - o.submitMs)));
    const to = from + o.windowS * 1000;
    while (Date.now() < to) {
      if (c.exitCode !== null) throw new Error(`${name} exited\n${tail()}`);
      await sleep(100);
    }
    meter.sample();
    const cpu = meter.cpuSeconds() - cpu0;
    const parts = logs().flat().length - parts0;
    meter.stop();
    // A submission in flight at the window's end is logged when accepted: wait for it.
    for (const end = to + o.submitMs + 500; Date.now() < end; await sleep(50))
      if (logs().every((l) => l.some((e) => e.at > to))) break;
    const final = logs();
    const queuedParts = messages.reduce((n, m) => n + partsOf(m), 0);
    return {
      name,
      modems: final.map((l) => use(l, from, to, o.submitMs)),
      windowS: o.windowS,
      queuedParts,
      leftParts: queuedParts - final.flat().filter((e) => e.at <= to).length,
      duplicates: duplicates(final),
      cpuMsPerPart: (cpu * 1000) / parts,
      peakRssMb: meter.peakRssKb / 1024,
    };
  } finally {
    if (child?.pid) await stopGroup(child);
    for (const s of servers) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a client sends between two parts, as the modem sees it (commands and PDUs, with gaps). */
function traceModem(name: string, server: PtyServer | undefined): void {
  let last = Date.now();
  const line = (what: string) => {
    const now = Date.now();
    process.stderr.write(`${name} +${String(now - last).padStart(5)} ms ${what}\n`);
    last = now;
    return false;
  };
  server?.sim.defineBehavior({ onCommand: (_s, l) => line(l), onSubmit: () => line("<PDU>") });
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = -(child.pid as number);
  try {
    process.kill(pgid, "SIGTERM");
  } catch {}
  for (const deadline = Date.now() + 5000; child.exitCode === null && Date.now() < deadline; )
    await sleep(50);
  try {
    process.kill(pgid, "SIGKILL");
  } catch {}
}

export const fleetGammu =
  (sharedOutbox: boolean): Prepare =>
  async (dir, ttys, messages) =>
    gammuSmsd(dir, ttys, messages, sharedOutbox);
export const fleetGammuSql: Prepare = async (dir, ttys, messages) => gammuSmsdSql(dir, ttys, messages);
export const fleetSmstools: Prepare = async (dir, ttys, messages) => smstools(dir, ttys, messages);

/** smsgw: the daemon on the ptys' /dev/pts paths, fed through its HTTP API once every modem is ready. */
export function fleetSmsgw(perMinute: number): Prepare {
  return async (dir, ttys, messages) => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const key = `smsgw_${randomBytes(32).toString("base64url")}`;
    process.env[BENCH_KEY_ENV] = key;
    // The config accepts device paths under /dev: the pty itself, which the link points to.
    const devs = ttys.map((t) => realpathSync(t));
    const config = writeDaemonConfig(dir, devs, { listen: `127.0.0.1:${port}`, perMinute });
    const script = join(import.meta.dirname, "smsgw-daemon.ts");
    return {
      cmd: process.execPath,
      args: ["--import", "tsx", script, "start", "--config", config],
      feed: async (child) => {
        await waitReady(base, ttys.length, 120_000, () => child.exitCode === null);
        const n = await enqueue(base, key, messages);
        if (n !== messages.length) throw new Error(`smsgw accepted ${n} of ${messages.length}`);
      },
    };
  };
}
