/**
 * systemd notification (sd_notify(3)) without a native addon: Node has no AF_UNIX datagram sockets,
 * so each message spawns the stock `systemd-notify` binary, which writes to $NOTIFY_SOCKET. The
 * message then comes from a child process, which systemd accepts only with NotifyAccess=all (see
 * systemd/smsgw.service). systemd-notify waits for PID 1 to process the message (sd_notify_barrier,
 * systemd ≥ 246), which closes the race where a sender exits before PID 1 looks up its cgroup
 * (systemd/systemd#2737). zigbee2mqtt's lib/util/sd-notify.ts uses the native unix-dgram instead;
 * like it, this is a soft-failing path: off when $NOTIFY_SOCKET is unset, and it never throws.
 *
 * Ownership: messages are sent one at a time in call order (a promise chain), so READY=1 cannot
 * overtake an earlier STATUS=.
 */
import { spawn } from "node:child_process";
import type { Logger } from "pino";

export interface SdNotifyOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Binary to run; default "systemd-notify" from PATH. */
  readonly command?: string;
  readonly log?: Logger;
  /** Give up on one message after this long, ms. Default 5000. */
  readonly timeoutMs?: number;
}

export class SdNotify {
  readonly #env: NodeJS.ProcessEnv;
  readonly #command: string;
  readonly #log: Logger | undefined;
  readonly #timeoutMs: number;
  #chain: Promise<unknown> = Promise.resolve();
  #missingReported = false;

  constructor(options: SdNotifyOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#command = options.command ?? "systemd-notify";
    this.#log = options.log;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** True when running under a Type=notify unit ($NOTIFY_SOCKET set). */
  get enabled(): boolean {
    return Boolean(this.#env.NOTIFY_SOCKET);
  }

  /** READY=1, optionally with a STATUS= line. */
  ready(status?: string): Promise<boolean> {
    return this.#send(status === undefined ? ["--ready"] : ["--ready", `--status=${status}`]);
  }

  /** STATUS=…, shown by `systemctl status smsgw`. */
  status(text: string): Promise<boolean> {
    return this.#send([`--status=${text}`]);
  }

  /** STOPPING=1 (positional: the --stopping flag exists only from systemd 253). */
  stopping(): Promise<boolean> {
    return this.#send(["STOPPING=1"]);
  }

  watchdog(): Promise<boolean> {
    return this.#send(["WATCHDOG=1"]);
  }

  /** Resolves once every message sent so far has been handed over (or given up): await it before
   * exiting, so that STOPPING=1 is not lost. */
  async flush(): Promise<void> {
    await this.#chain.catch(() => {});
  }

  /** Resolves true when systemd-notify exited 0; false when off or on any failure. */
  #send(args: string[]): Promise<boolean> {
    if (!this.enabled) return Promise.resolve(false);
    const next = this.#chain.then(() => this.#spawn(args));
    this.#chain = next;
    return next;
  }

  #spawn(args: string[]): Promise<boolean> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok: boolean, why?: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (!ok && why) this.#log?.debug({ args, why }, "sd_notify failed");
        resolve(ok);
      };
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(this.#command, args, { env: this.#env, stdio: "ignore" });
      } catch (e) {
        done(false, (e as Error).message);
        return;
      }
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        done(false, "timeout");
      }, this.#timeoutMs);
      timer.unref();
      child.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT" && !this.#missingReported) {
          this.#missingReported = true;
          this.#log?.warn(
            `${this.#command} not found: systemd will not see READY/WATCHDOG (install systemd)`,
          );
        }
        done(false, e.message);
      });
      child.on("exit", (code) => done(code === 0, `exit code ${code}`));
    });
  }
}
