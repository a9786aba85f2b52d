/**
 * Starts bench/crash-loop/daemon.ts in its own process (from TypeScript through tsx, as the process
 * tests do, so a stale build is never measured), its JSON log lines appended to one file across all
 * lives, and reports when its API listens. `kill()` is SIGKILL: no handler runs, nothing is
 * flushed, exactly as a power cut or the OOM killer.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, writeSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./daemon.ts", import.meta.url));

export interface DaemonLife {
  readonly child: ChildProcess;
  readonly startedAt: number;
  /** Set when "READY" was printed. */
  readyAt: number | null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function startDaemon(config: string, logFile: string, life: number): DaemonLife {
  const fd = openSync(logFile, "a");
  writeSync(fd, `${JSON.stringify({ bench: "crash-loop", life, at: new Date().toISOString() })}\n`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SMSGW_")));
  delete env.NOTIFY_SOCKET;
  delete env.WATCHDOG_USEC;
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY, config], {
    stdio: ["ignore", fd, "pipe"],
    env,
  });
  closeSync(fd);
  let err = "";
  const d: DaemonLife = {
    child,
    startedAt: Date.now(),
    readyAt: null,
    exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))),
    stderr: () => err,
  };
  child.stderr?.on("data", (c: Buffer) => {
    err = (err + c.toString()).slice(-20_000);
    if (d.readyAt === null && err.includes("READY ")) d.readyAt = Date.now();
  });
  return d;
}

export async function killDaemon(d: DaemonLife): Promise<void> {
  d.child.kill("SIGKILL");
  await d.exited;
}

/** Graceful stop (SIGTERM); SIGKILL after `ms` if it hangs. Resolves with the exit code. */
export async function stopDaemon(d: DaemonLife, ms = 45_000): Promise<number | null> {
  d.child.kill("SIGTERM");
  const t = setTimeout(() => d.child.kill("SIGKILL"), ms);
  const { code } = await d.exited;
  clearTimeout(t);
  return code;
}

/** A TCP port free on 127.0.0.1 now; the daemon binds it in every life. */
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

/** Waits (across lives) until the API lists `n` modems in state "ready". */
export async function modemsReady(url: string, apiKey: string, n: number, ms = 120_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    try {
      const r = await fetch(`${url}/v1/modems`, { headers: { authorization: `Bearer ${apiKey}` } });
      const body = (await r.json()) as { items?: { state?: string }[] };
      if ((body.items ?? []).filter((m) => m.state === "ready").length >= n) return;
    } catch {
      // down or starting: ask again
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the modems were not ready within ${ms} ms`);
}
