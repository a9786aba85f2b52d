/**
 * Spawns the real daemon (`smsgw start`) from source through tsx's loader, so the test never runs a
 * stale build, in its own temporary working directory, and collects its output.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tsx = join(root, "node_modules", "tsx", "dist", "loader.mjs");
const entry = join(root, "test", "process", "entry.ts");

export interface Daemon {
  readonly child: ChildProcess;
  readonly cwd: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128+signal number when killed by a signal). */
  readonly exited: Promise<number>;
  /** Waits until stderr matches. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpExecArray>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function spawnSmsgw(args: string[], env: Record<string, string> = {}, cwd?: string): Daemon {
  const dir = cwd ?? mkdtempSync(join(tmpdir(), "smsgw-proc-"));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SMSGW_")));
  delete clean.NOTIFY_SOCKET;
  delete clean.WATCHDOG_USEC;
  const child = spawn(process.execPath, ["--import", tsx, entry, ...args], {
    cwd: dir,
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? 128 + (signal === "SIGKILL" ? 9 : 15)));
  });
  return {
    child,
    cwd: dir,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(re, ms = 20_000) {
      const end = Date.now() + ms;
      for (;;) {
        const m = re.exec(err);
        if (m) return m;
        if (child.exitCode !== null) throw new Error(`daemon exited ${child.exitCode} before ${re}:\n${err}`);
        if (Date.now() > end) throw new Error(`timed out waiting for ${re}; stderr:\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export async function poll<T>(fn: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
