/**
 * Shared plumbing for the interop tests: a `smsgw sim serve` process on a pseudo-terminal, its
 * control socket (network log, inbound injection through the real `smsgw sim inject`), bounded
 * waits, and daemons run in their own process group so that a test always ends them.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { NetworkLogEntry } from "../../src/sim/network.js";

const CLI = ["--import", "tsx", join(import.meta.dirname, "..", "sim", "run-cli.ts")];

/** Debian packages the interop suite needs (CI installs exactly these). */
export const INTEROP_PACKAGES = "gammu-smsd gammu smstools";

/**
 * Resolves a binary on PATH (and the sbin directories, where smstools installs smsd), or throws
 * with the install hint: a missing peer fails the suite instead of skipping it.
 */
export function requireTool(bin: string, pkg: string): string {
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  for (const d of dirs) {
    const p = join(d, bin);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {}
  }
  throw new Error(
    `${bin} is not installed: apt-get install -y ${pkg} (interop suite needs: ${INTEROP_PACKAGES})`,
  );
}

export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  diag: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timeout after ${ms} ms: ${what}\n${diag()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface ExitResult {
  readonly code: number | null;
  readonly out: string;
}

/** Runs a short-lived command with a bound; resolves with its combined output. */
export function runTool(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<ExitResult> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let out = "";
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    p.on("close", (code) => resolve({ code, out }));
  });
}

/** A long-lived process in its own group; stop() ends the whole group, SIGKILL after a bound. */
export class Daemon {
  readonly proc: ChildProcess;
  out = "";
  private readonly exited: Promise<void>;

  constructor(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.proc = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, env });
    this.proc.stdout?.on("data", (d: Buffer) => (this.out += d.toString()));
    this.proc.stderr?.on("data", (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((resolve) => this.proc.once("exit", () => resolve()));
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(graceMs = 5000): Promise<void> {
    const pid = this.proc.pid;
    if (pid === undefined || !this.running) return;
    const group = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {}
    };
    group("SIGTERM");
    const timer = setTimeout(() => group("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
    group("SIGKILL"); // children (smsd's modem handler) that outlived their parent
  }
}

export interface SimProcess {
  readonly tty: string;
  readonly control: string;
  readonly daemon: Daemon;
  log(): Promise<NetworkLogEntry[]>;
  /** Through the real `smsgw sim inject` command line. */
  inject(from: string, text: string, parts?: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts `smsgw sim serve` (already booted) and waits for its ready line. */
export async function startSim(dir: string, persona: string, msisdn = "+33611223344"): Promise<SimProcess> {
  const tty = join(dir, "ttySIM");
  const control = join(dir, "sim.sock");
  const args = ["sim", "serve", "--persona", persona, "--booted", "--seed", "7"];
  const daemon = new Daemon(process.execPath, [
    ...CLI,
    ...args,
    "--pty",
    tty,
    "--control",
    control,
    "--msisdn",
    msisdn,
  ]);
  await until(
    () => daemon.out.includes(`ready ${tty}`) || !daemon.running,
    15_000,
    "sim ready line",
    () => daemon.out,
  );
  if (!daemon.running) throw new Error(`smsgw sim serve exited: ${daemon.out}`);
  const { sendControl } = await import("../../src/sim/control.js");
  return {
    tty,
    control,
    daemon,
    async log() {
      const r = await sendControl(control, { op: "log" });
      return r["log"] as NetworkLogEntry[];
    },
    async inject(from, text, parts) {
      const extra = parts === undefined ? [] : ["--parts", String(parts)];
      const r = await runTool(process.execPath, [
        ...CLI,
        "sim",
        "inject",
        "--control",
        control,
        "--from",
        from,
        "--text",
        text,
        ...extra,
      ]);
      if (r.code !== 0) throw new Error(`smsgw sim inject failed (${r.code}): ${r.out}`);
    },
    stop: () => daemon.stop(),
  };
}

/** Last `n` characters of a file, for failure messages. */
export function tail(path: string, n = 4000): string {
  return existsSync(path) ? readFileSync(path, "utf8").slice(-n) : `(no ${path})`;
}

/** The accepted submissions to `to`, long messages joined in part order (23.040 §9.2.3.24.1). */
export function submittedTexts(log: readonly NetworkLogEntry[], to: string): string[] {
  const mine = log.filter((e) => e.to === to && e.outcome === "accepted");
  const texts: string[] = [];
  const groups = new Map<number, NetworkLogEntry[]>();
  for (const e of mine) {
    if (!e.concat) texts.push(e.text);
    else groups.set(e.concat.ref, [...(groups.get(e.concat.ref) ?? []), e]);
  }
  for (const parts of groups.values()) {
    const sorted = [...parts].sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0));
    const total = sorted[0]?.concat?.total ?? 0;
    if (sorted.length !== total) texts.push(`<incomplete ${sorted.length}/${total}>`);
    else texts.push(sorted.map((e) => e.text).join(""));
  }
  return texts;
}
