/**
 * Send policy per modem: a token bucket (parts per minute), the SIM's daily cap, the global daily cap,
 * and the distinct-recipient cap (carrier "unlimited" plans cap unique recipients per month:
 * SMSGate #148, #270). Buckets are in memory: after a restart a modem may send one burst early,
 * which the carriers' per-day and per-month caps (durable, in SQLite) do not allow to add up.
 */
import type { EngineConfig } from "./config.js";

export type PolicyVerdict =
  | { readonly ok: true; readonly recipientCapReached: boolean }
  | { readonly ok: false; readonly retryAt: number; readonly reason: string };

export interface CapUsage {
  readonly today: number;
  readonly globalToday: number;
  readonly recipients: number;
}

/** Effective caps of one SIM: parts per UTC day, gateway parts per UTC day, distinct recipients; 0 = no cap. */
export interface CapLimits {
  readonly daily: number;
  readonly global: number;
  readonly recipients: number;
}

export class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly perMinute: number,
    readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#at = now;
  }
  #refill(now: number): void {
    if (now > this.#at)
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#at) * this.perMinute) / 60_000);
    this.#at = Math.max(this.#at, now);
  }
  /** 0 when a token is available now, otherwise ms until one is. */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 60_000) / this.perMinute);
  }
  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }
}

export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Limits of one SIM ([[modems]] max_per_minute, max_per_day, max_distinct_recipients_30d); unset = engine-wide value. */
export interface ModemLimits {
  readonly ratePerMinute?: number;
  readonly dailyCap?: number;
  readonly distinctRecipientsCap?: number;
}

export class SendPolicy {
  #buckets = new Map<string, TokenBucket>();
  #limits = new Map<string, ModemLimits>();
  #caps = new Map<string, CapLimits>();
  constructor(readonly cfg: EngineConfig) {}

  /** Per-SIM limits: SIMs on different plans (or a slower modem) keep their own rate and caps. */
  setLimits(modemId: string, limits: ModemLimits): void {
    this.#limits.set(modemId, limits);
    this.#buckets.delete(modemId);
    this.#caps.delete(modemId);
  }

  #bucket(modemId: string, now: number): TokenBucket {
    let b = this.#buckets.get(modemId);
    if (!b) {
      const rate = this.#limits.get(modemId)?.ratePerMinute ?? this.cfg.ratePerMinute;
      b = new TokenBucket(rate, this.cfg.rateBurst, now);
      this.#buckets.set(modemId, b);
    }
    return b;
  }

  /**
   * The caps that apply to a modem (0 = none): the worker reads only the usage figures of the caps
   * that are set, so a gateway without caps spends no query on them per part.
   */
  caps(modemId: string): CapLimits {
    let c = this.#caps.get(modemId);
    if (!c) {
      const l = this.#limits.get(modemId);
      c = {
        daily: l?.dailyCap ?? this.cfg.dailyCapPerModem,
        global: this.cfg.globalDailyCap,
        recipients: l?.distinctRecipientsCap ?? this.cfg.distinctRecipientsCap,
      };
      this.#caps.set(modemId, c);
    }
    return c;
  }

  check(modemId: string, now: number, u: CapUsage): PolicyVerdict {
    const c = this.caps(modemId);
    if (c.daily > 0 && u.today >= c.daily)
      return { ok: false, retryAt: nextUtcMidnight(now), reason: "daily_cap" };
    if (c.global > 0 && u.globalToday >= c.global)
      return { ok: false, retryAt: nextUtcMidnight(now), reason: "global_daily_cap" };
    const wait = this.#bucket(modemId, now).waitMs(now);
    if (wait > 0) return { ok: false, retryAt: now + wait, reason: "rate" };
    return { ok: true, recipientCapReached: c.recipients > 0 && u.recipients >= c.recipients };
  }

  consume(modemId: string, now: number): void {
    this.#bucket(modemId, now).take(now);
  }
}

/**
 * Samples of one modem's window, oldest first from `head` (a queue without a shift per sample), and
 * the number of failures among them: recording is O(1), not a copy of the whole window per part.
 */
interface Samples {
  at: number[];
  ok: boolean[];
  head: number;
  failures: number;
}

/** Failure ratio per modem over a sliding window, for automatic disable. */
export class FailureWindow {
  #samples = new Map<string, Samples>();
  constructor(
    readonly cfg: Pick<EngineConfig, "failureWindowMs" | "failureMinSamples" | "failureThreshold">,
  ) {}

  /** Records an outcome; returns a reason when the modem should leave the rotation. */
  record(modemId: string, ok: boolean, now: number): string | null {
    let w = this.#samples.get(modemId);
    if (!w) {
      w = { at: [], ok: [], head: 0, failures: 0 };
      this.#samples.set(modemId, w);
    }
    // The window holds the samples taken after now - failureWindowMs. They are kept sorted by time
    // (a clock stepped back inserts in place), so the expired ones are at the head.
    const from = now - this.cfg.failureWindowMs;
    while (w.head < w.at.length && (w.at[w.head] as number) <= from) {
      if (!w.ok[w.head]) w.failures--;
      w.head++;
    }
    if (w.head > 64 && w.head * 2 > w.at.length) {
      w.at = w.at.slice(w.head);
      w.ok = w.ok.slice(w.head);
      w.head = 0;
    }
    let i = w.at.length;
    while (i > w.head && (w.at[i - 1] as number) > now) i--;
    if (i === w.at.length) {
      w.at.push(now);
      w.ok.push(ok);
    } else {
      w.at.splice(i, 0, now);
      w.ok.splice(i, 0, ok);
    }
    if (!ok) w.failures++;
    const n = w.at.length - w.head;
    if (n < this.cfg.failureMinSamples || w.failures / n < this.cfg.failureThreshold) return null;
    return `failure rate ${w.failures}/${n} over ${Math.round(this.cfg.failureWindowMs / 1000)} s`;
  }

  reset(modemId: string): void {
    this.#samples.delete(modemId);
  }
}
