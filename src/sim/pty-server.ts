/**
 * Serves a simulated modem on a pseudo-terminal so that independent programs (Gammu SMSD,
 * smstools3, minicom, the gateway through node-serialport) can open it like /dev/ttyUSB0:
 * `socat pty,raw,echo=0,link=<path>,mode=666 STDIO` owns the pty master and relays it to our
 * stdin/stdout pipes, which the simulator reads and writes. A "drop" fault kills socat (the link
 * disappears, the client sees a hang-up, as when a USB stick resets) and the server re-plugs after
 * a second.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { existsSync, lstatSync, unlinkSync } from "node:fs";
import type { Server } from "node:net";
import type { Transport, TransportClosed } from "../transport/types.js";
import { serveControl } from "./control.js";
import { buildSimModem, type CreateSimModemOptions, type SimControl } from "./index.js";

export interface PtyServerOptions extends CreateSimModemOptions {
  readonly ptyPath: string;
  readonly controlPath?: string;
  /** Called with one-line notices (re-plug, socat errors). */
  readonly notice?: (line: string) => void;
  readonly replugMs?: number;
}

export interface PtyServer {
  readonly sim: SimControl;
  stop(): Promise<void>;
}

/** A Transport over socat's stdio (the device side of the pty). */
function socatTransport(child: ChildProcessWithoutNullStreams, description: string): Transport {
  let listener: ((c: Uint8Array) => void) | null = null;
  const pending: Uint8Array[] = [];
  child.stdout.on("data", (b: Buffer) => {
    const c = new Uint8Array(b);
    if (listener) listener(c);
    else pending.push(c);
  });
  child.stdin.on("error", () => {});
  let local = false;
  const closed = new Promise<TransportClosed>((resolve) => {
    child.once("exit", () => resolve(local ? { reason: "local" } : { reason: "unplugged" }));
  });
  return {
    description,
    onData(l) {
      listener = l;
      for (const c of pending.splice(0)) l(c);
    },
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (!child.stdin.writable) return reject(new Error(`${description}: closed`));
        child.stdin.write(bytes, (e) => (e ? reject(e) : resolve()));
      }),
    close: async () => {
      local = true;
      child.kill("SIGTERM");
      await closed;
    },
    closed,
  };
}

/** True when the path exists, even as a dangling symlink (existsSync follows links). */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

async function waitForLink(path: string, child: ChildProcessWithoutNullStreams, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!existsSync(path)) {
    if (child.exitCode !== null)
      throw new Error(`socat exited with code ${child.exitCode} before creating ${path}`);
    if (Date.now() > deadline) throw new Error(`socat did not create ${path} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function servePty(o: PtyServerOptions): Promise<PtyServer> {
  // A dangling link left by a killed server is ours to remove; a live path is someone else's.
  if (present(o.ptyPath) && !existsSync(o.ptyPath)) unlinkSync(o.ptyPath);
  if (present(o.ptyPath))
    throw new Error(`${o.ptyPath} already exists; remove it or choose another --pty path`);
  const sim = buildSimModem(o);
  let stopping = false;
  let child: ChildProcessWithoutNullStreams | null = null;
  let stderr = "";

  const plug = async (): Promise<void> => {
    const c = spawn("socat", [`pty,raw,echo=0,link=${o.ptyPath},mode=666`, "STDIO"], { stdio: "pipe" });
    child = c;
    c.stderr.setEncoding("utf8");
    c.stderr.on("data", (d: string) => {
      stderr = (stderr + d).slice(-2000);
    });
    const spawned = new Promise<void>((resolve, reject) => {
      c.once("spawn", resolve);
      c.once("error", (e) => reject(new Error(`cannot start socat: ${e.message}`)));
    });
    await spawned;
    await waitForLink(o.ptyPath, c, 5000).catch((e: Error) => {
      throw new Error(`${e.message}${stderr ? `: ${stderr.trim()}` : ""}`);
    });
    const t = socatTransport(c, `pty:${o.ptyPath}`);
    sim.modem.attach(t);
    void t.closed.then(() => {
      if (stopping) return;
      o.notice?.(`line dropped on ${o.ptyPath}; re-plugging`);
      setTimeout(() => {
        if (!stopping) plug().catch((e: Error) => o.notice?.(`re-plug failed: ${e.message}`));
      }, o.replugMs ?? 1000);
    });
  };

  await plug();
  let control: Server | null = null;
  if (o.controlPath) {
    if (present(o.controlPath)) unlinkSync(o.controlPath);
    control = await serveControl(sim, o.controlPath);
  }

  return {
    sim,
    async stop() {
      stopping = true;
      const c = child;
      if (c && c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((r) => c.once("exit", r));
        c.kill("SIGTERM");
        await exited;
      }
      await new Promise<void>((r) => (control ? control.close(() => r()) : r()));
      for (const p of [o.ptyPath, o.controlPath])
        if (p && present(p)) {
          try {
            unlinkSync(p);
          } catch {
            // already gone
          }
        }
      sim.unregister();
    },
  };
}
