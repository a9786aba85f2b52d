/**
 * The daemon's view of the Pi's power (throttled.ts): /health's `host:power` check, the
 * smsgw_host_* gauges, and a note for log lines about modems that vanished.
 *
 * - sysfs source: one small file read, so current() reads it on every /health request and scrape;
 *   the timer (every intervalMs, default 60 s) only logs changes.
 * - vcgencmd source: a process spawn, so at most once per intervalMs; current() answers the cache.
 * - neither (not a Pi): logged once at info level as not applicable, and no timer at all.
 */
import type { Clock } from "../clock.js";
import type { Logger } from "../log.js";
import {
  type DecodedThrottled,
  decodeThrottled,
  hexThrottled,
  parseThrottled,
  readThrottledSysfs,
  vcgencmdThrottled,
} from "./throttled.js";

export type PowerSourceKind = "sysfs" | "vcgencmd";

export interface PowerState extends DecodedThrottled {
  readonly source: PowerSourceKind;
  /** When the bits were read (ms since the epoch). */
  readonly at: number;
}

/** What /health and /metrics read. */
export interface PowerSource {
  /** null: not a Pi (or not read yet). */
  current(): PowerState | null;
}

export interface PowerProbeOptions {
  readonly clock: Clock;
  readonly log: Logger;
  /** Filesystem root for the sysfs file; default "/". */
  readonly root?: string;
  /** `vcgencmd get_throttled`; null disables it (fixture roots). Default: runs the command. */
  readonly vcgencmd?: (() => Promise<string | null>) | null;
  /** Poll period, default 60 s. */
  readonly intervalMs?: number;
}

export class PowerProbe implements PowerSource {
  readonly #o: PowerProbeOptions;
  readonly #root: string;
  readonly #vcgencmd: (() => Promise<string | null>) | null;
  #source: PowerSourceKind | null = null;
  #last: PowerState | null = null;
  #timer: { clear(): void } | null = null;
  #stopped = false;
  /** Conditions already logged, so a standing condition is reported once, not every minute. */
  readonly #logged = new Set<"now" | "since_boot">();

  constructor(options: PowerProbeOptions) {
    this.#o = options;
    this.#root = options.root ?? "/";
    this.#vcgencmd = options.vcgencmd === undefined ? () => vcgencmdThrottled() : options.vcgencmd;
  }

  /** Finds the source and reads once; true when this is a Pi. Only then is a timer armed. */
  async start(): Promise<boolean> {
    const text = readThrottledSysfs(this.#root);
    if (parseThrottled(text) !== null) {
      this.#source = "sysfs";
      this.#store(text);
    } else {
      const out = this.#vcgencmd ? await this.#vcgencmd() : null;
      if (parseThrottled(out) !== null) {
        this.#source = "vcgencmd";
        this.#store(out);
      }
    }
    if (this.#stopped) return this.#source !== null;
    if (this.#source === null) {
      this.#o.log.info("no Raspberry Pi get_throttled: host power check and metrics not applicable");
      return false;
    }
    this.#o.log.info({ source: this.#source }, "watching the Pi's under-voltage and throttling bits");
    this.#arm();
    return true;
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.clear();
    this.#timer = null;
  }

  get applicable(): boolean {
    return this.#source !== null;
  }

  current(): PowerState | null {
    if (this.#source === "sysfs") this.#store(readThrottledSysfs(this.#root));
    return this.#last;
  }

  /**
   * For the log line of a modem that vanished: under-voltage resets the USB bus, so the operator is
   * told where to look. Empty when there is nothing to say (or not a Pi).
   */
  logNote(): { undervoltage?: "now" | "since_boot" } {
    const s = this.current();
    if (s?.now.undervoltage) return { undervoltage: "now" };
    if (s?.sinceBoot.undervoltage) return { undervoltage: "since_boot" };
    return {};
  }

  #arm(): void {
    const ms = this.#o.intervalMs ?? 60_000;
    this.#timer = this.#o.clock.setTimeout(() => void this.#poll(), ms);
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    if (this.#source === "sysfs") this.#store(readThrottledSysfs(this.#root));
    else this.#store((await this.#vcgencmd?.()) ?? null);
    if (!this.#stopped) this.#arm();
  }

  /** Keeps the last good reading when a read fails; logs each condition once while it lasts. */
  #store(text: string | null): void {
    const bits = parseThrottled(text);
    if (bits === null || this.#source === null) return;
    this.#last = { ...decodeThrottled(bits), source: this.#source, at: this.#o.clock.now() };
    const s = this.#last;
    const get_throttled = hexThrottled(bits);
    if (s.now.undervoltage && !this.#logged.has("now")) {
      this.#logged.add("now");
      this.#o.log.warn({ get_throttled }, "under-voltage now: USB modems may reset when they transmit");
    } else if (!s.now.undervoltage) this.#logged.delete("now");
    if (s.sinceBoot.undervoltage && !this.#logged.has("since_boot")) {
      this.#logged.add("since_boot");
      if (!s.now.undervoltage)
        this.#o.log.warn({ get_throttled }, "under-voltage occurred since boot: check the power supply");
    }
  }
}
