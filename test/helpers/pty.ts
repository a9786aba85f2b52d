/**
 * A pair of connected pseudo-terminals made by socat, for tests of the real serial path:
 *
 *   const pty = await createPtyPair();   // pty.a and pty.b are symlinks to /dev/pts/N and /dev/pts/M
 *   …open pty.a with the code under test, pty.b with the scripted modem…
 *   await pty.unplug();                 // kills socat: both ends see the device vanish
 *   await pty.close();                  // always, in afterEach/finally: kills socat, removes the links
 *
 * Both ends are raw with echo off (`pty,raw,echo=0`), so bytes pass unchanged. socat holds the pty
 * masters; killing it is what a pulled USB modem looks like to the tty side (reads fail with EIO).
 * If socat is missing this throws, with the install command: the pty tests must fail, not skip.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface PtyPair {
  /** Path of one end (a symlink to a /dev/pts/N node). */
  readonly a: string;
  /** Path of the other end. */
  readonly b: string;
  /** Kills socat (SIGKILL) and waits for it to exit: both ends are gone. */
  unplug(): Promise<void>;
  /** Idempotent cleanup: unplug if still running, remove the temporary directory. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  /** How long to wait for socat to create both links, default 5000 ms. */
  readonly timeoutMs?: number;
}

export function assertSocatInstalled(): void {
  const probe = spawnSync("socat", ["-V"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "socat is required for the pty tests and was not found: install it with `apt-get install socat`",
    );
  }
}

export async function createPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  assertSocatInstalled();
  const dir = mkdtempSync(join(tmpdir(), "smsgw-pty-"));
  const a = join(dir, "a");
  const b = join(dir, "b");
  const proc = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  // Never leave a socat behind if the test process ends without calling close().
  const killOnExit = () => proc.kill("SIGKILL");
  process.once("exit", killOnExit);
  let running = true;
  void exited.then(() => {
    running = false;
    process.off("exit", killOnExit);
  });

  const unplug = async () => {
    if (running) proc.kill("SIGKILL");
    await exited;
  };
  const close = async () => {
    await unplug();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitForLinks(proc, [a, b], options.timeoutMs ?? 5000, () => stderr);
  } catch (error) {
    await close();
    throw error;
  }
  return { a, b, unplug, close };
}

async function waitForLinks(proc: ChildProcess, links: string[], timeoutMs: number, log: () => string) {
  const deadline = Date.now() + timeoutMs;
  // socat reports "starting data transfer loop" once both ptys exist and are linked.
  while (!(links.every((l) => existsSync(l)) && log().includes("starting data transfer loop"))) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`socat exited before creating the pty pair:\n${log()}`);
    }
    if (Date.now() > deadline)
      throw new Error(`socat did not create ${links.join(" and ")} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
